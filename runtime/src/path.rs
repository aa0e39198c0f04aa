//! Wire paths that name a nested value in error messages, e.g.
//! `endpointA.vlanId` or `dataSet[2].vlanId`: field names joined with dots,
//! list indices in brackets. Validation ([`crate::validate`]) and decoding
//! ([`crate::decode`]) both report them. (The flattened query names of
//! [`crate::encode`], `Tag.1.Key`, are a wire format of their own.)

/// Appends `segment` (a field name, a map key or `[index]`) to `path`, with
/// a dot between two names.
pub(crate) fn push(path: &mut String, segment: &str) {
    if !path.is_empty() && !segment.is_empty() && !segment.starts_with('[') {
        path.push('.');
    }
    path.push_str(segment);
}
