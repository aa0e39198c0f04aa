//! `cargo xtask import alibaba`: Alibaba OpenAPI metadata → a spec service directory.
//!
//! [`run`] reads the metadata ([`meta`]), converts the selected actions
//! ([`convert`], `fields`), overlays curation ([`crate::curation`]) and
//! writes the generator's files through [`crate::write`]. Actions the spec
//! format cannot express yet are listed in the [`Report`], never dropped
//! silently; the command line fails when there are any.

pub mod convert;
mod fields;
pub mod fixups;
pub mod groups;
pub mod meta;
mod paging;
mod select;

use std::path::{Path, PathBuf};

use crate::Error;
use crate::curation::{self, ActionCuration, ServiceCuration, TypesCuration};
use crate::spec::{RegionalEndpoint, ServiceFile, Text, TypesFile};
use crate::write::{self, Planned};
use convert::{Converter, TypeDef};
use meta::Metadata;

/// Metadata files larger than this are refused (the VPC file is under 3 MiB).
const MAX_METADATA_BYTES: u64 = 64 << 20;

/// What to import and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The `api-docs.json` file.
    pub metadata: PathBuf,
    /// Actions to import (`--action`); with no directories either, all.
    pub actions: Vec<String>,
    /// Metadata directory titles whose actions to import (`--directory`).
    pub directories: Vec<String>,
    /// Spec root (`--spec-dir`).
    pub spec_dir: PathBuf,
    /// Service directory and crate name (`--service`); default `alibaba-<product>`.
    pub service: Option<String>,
    /// Put the vendor's en/zh summaries of uncurated actions in the report
    /// (`--show-vendor-text`), for a maintainer writing curation; never into files.
    pub show_vendor_text: bool,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Report {
    /// The service directory.
    pub service_dir: PathBuf,
    /// Actions written.
    pub imported: Vec<String>,
    /// Actions the spec cannot express yet, with the reason.
    pub unsupported: Vec<(String, String)>,
    /// Files whose contents changed.
    pub changed: Vec<PathBuf>,
    /// One line per fixup that applied.
    pub fixups: Vec<String>,
    /// Notes (e.g. a hand-written service.yaml left alone).
    pub notes: Vec<String>,
    /// With [`Options::show_vendor_text`]: the vendor's summaries of actions without curated ones.
    pub vendor_text: Vec<String>,
}

/// Imports per `options`; see the module docs.
pub fn run(options: &Options) -> Result<Report, Error> {
    let metadata = read_metadata(&options.metadata)?;
    if metadata.info.style != "RPC" {
        return Err(Error::Input(format!(
            "{}: API style `{}` is not supported (only RPC)",
            options.metadata.display(),
            metadata.info.style
        )));
    }
    let service = options
        .service
        .clone()
        .unwrap_or_else(|| format!("alibaba-{}", metadata.info.product.to_ascii_lowercase()));
    let dir = options.spec_dir.join(&service);
    let full = options.actions.is_empty() && options.directories.is_empty();
    let names = select::actions(&metadata, options, &dir)?;
    let mut conv = Converter::new(&metadata.info.product, &metadata.info.version);
    let mut report = Report {
        service_dir: dir.clone(),
        ..Report::default()
    };
    let zh = if options.show_vendor_text {
        zh_summaries(&options.metadata)?
    } else {
        Default::default()
    };
    let types_cur: TypesCuration = curation::read(&dir.join(curation::DIR).join("types.yaml"))?;
    let groups = groups::by_action(&metadata);
    let mut plan = Vec::new();
    let mut stale = Vec::new();
    for name in &names {
        let api = &metadata.apis[name];
        match conv.action(name, api) {
            Ok(mut action) => {
                action.group = groups.get(name).cloned();
                let cur: ActionCuration = curation::read(&curation_path(&dir, name))?;
                if options.show_vendor_text && cur.summary.is_none() {
                    let en = api.summary.as_deref().unwrap_or("-");
                    let zh = zh
                        .get(name)
                        .and_then(|a| a.summary.as_deref())
                        .unwrap_or("-");
                    report
                        .vendor_text
                        .push(format!("{name}: en: {en} | zh: {zh}"));
                }
                curation::rename_field_types(&mut action.input, &types_cur.rename);
                curation::rename_field_types(&mut action.output, &types_cur.rename);
                stale.extend(curation::apply_action(&mut action, cur));
                plan.push(write::plan(
                    &action,
                    dir.join("actions").join(format!("{name}.yaml")),
                    "alibaba",
                )?);
                report.imported.push(name.clone());
            }
            Err(reason) => report.unsupported.push((name.clone(), reason)),
        }
    }
    if full {
        stale.extend(select::orphan_curation(&dir, &metadata)?);
        stale.extend(conv.log.unused().into_iter().map(|f| {
            format!("fixup `{}` applied nowhere in a full import: the vendor fixed it, remove the fixup", f.name)
        }));
    }
    plan.push(write::plan(
        &types_file(conv.types, types_cur, &mut stale)?,
        dir.join("types.yaml"),
        "alibaba",
    )?);
    service_file(&metadata, &service, &dir, &mut plan, &mut report)?;
    if !stale.is_empty() {
        return Err(Error::Stale(crate::Source::Metadata, stale));
    }
    let foreign = write::foreign(&plan).map_err(|e| Error::Io(dir.clone(), e))?;
    if !foreign.is_empty() {
        return Err(Error::HandWritten(foreign));
    }
    report.changed = write::apply(&plan).map_err(|e| Error::Io(dir.clone(), e))?;
    report.fixups = conv.log.summary();
    Ok(report)
}

/// Summaries from the zh_cn file beside an en_us one; none when there is no such file.
fn zh_summaries(en: &Path) -> Result<std::collections::BTreeMap<String, meta::SummaryOnly>, Error> {
    let name = en.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let zh = en.with_file_name(name.replace("en_us", "zh_cn"));
    if zh == en || !zh.is_file() {
        return Ok(Default::default());
    }
    Ok(read_json::<meta::Summaries>(&zh)?.apis)
}

fn read_metadata(path: &Path) -> Result<Metadata, Error> {
    read_json(path)
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Error> {
    let bytes =
        crate::read_bounded(path, MAX_METADATA_BYTES, "a metadata file")?.ok_or_else(|| {
            Error::Io(
                path.to_path_buf(),
                std::io::Error::from(std::io::ErrorKind::NotFound),
            )
        })?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Error::Input(format!("{}: not API metadata: {e}", path.display())))
}

fn curation_path(dir: &Path, action: &str) -> PathBuf {
    dir.join(curation::DIR)
        .join("actions")
        .join(format!("{action}.yaml"))
}

/// Imported structures and enums, renamed and with curation overlaid, plus curated
/// structures, enums and resources.
fn types_file(
    types: std::collections::BTreeMap<String, TypeDef>,
    cur: TypesCuration,
    stale: &mut Vec<String>,
) -> Result<TypesFile, Error> {
    let mut file = TypesFile::default();
    for def in types.into_values() {
        match def {
            TypeDef::Structure(s) => file.structures.push(s),
            TypeDef::Enum(e) => file
                .enums
                .push(serde_json::to_value(e).map_err(|e| Error::Input(e.to_string()))?),
        }
    }
    stale.extend(curation::rename_types(
        &mut file.structures,
        &mut file.enums,
        &cur.rename,
    ));
    stale.extend(curation::add_structures(
        &mut file.structures,
        cur.added_structures,
    ));
    file.structures.sort_by(|a, b| a.name.cmp(&b.name));
    stale.extend(curation::apply_structures(
        &mut file.structures,
        cur.structures,
    ));
    file.enums.extend(cur.enums);
    file.resources = cur.resources;
    Ok(file)
}

/// Plans `service.yaml` unless a hand-written one is there (then it is left alone).
fn service_file(
    metadata: &Metadata,
    service: &str,
    dir: &Path,
    plan: &mut Vec<Planned>,
    report: &mut Report,
) -> Result<(), Error> {
    let path = dir.join("service.yaml");
    if !write::is_ours(&path).map_err(|e| Error::Io(path.clone(), e))? {
        report
            .notes
            .push(format!("{} is hand-written; left as it is", path.display()));
        return Ok(());
    }
    let mut cur: ServiceCuration = curation::read(&dir.join(curation::DIR).join("service.yaml"))?;
    let info = &metadata.info;
    let mut regional: Vec<RegionalEndpoint> = metadata
        .endpoints
        .iter()
        .map(|e| RegionalEndpoint {
            region: e.region_id.clone(),
            host: e.endpoint.clone(),
        })
        .collect();
    regional.sort_by(|a, b| a.region.cmp(&b.region));
    regional.dedup_by(|a, b| a.region == b.region);
    let default_host = regional
        .iter()
        .find(|e| e.region == "cn-hangzhou")
        .or(regional.first())
        .map_or_else(
            || format!("{}.aliyuncs.com", info.product.to_ascii_lowercase()),
            |e| e.host.clone(),
        );
    let release = cur.release();
    let file = ServiceFile {
        name: service.to_owned(),
        title: cur.title.unwrap_or_else(|| format!("Alibaba Cloud {} ({})", info.product, info.version)),
        description: cur.description.unwrap_or_else(|| {
            Text::Plain(format!(
                "Alibaba Cloud {} API {}, imported from the vendor's API metadata; not curated yet.",
                info.product, info.version
            ))
        }),
        protocol: "alibaba-rpc".into(),
        api_version: info.version.clone(),
        endpoint: cur.endpoint.unwrap_or_else(|| format!("https://{default_host}")),
        regional_endpoints: regional,
        docs_url: cur
            .docs_url
            .unwrap_or_else(|| format!("https://api.alibabacloud.com/document/{}/{}", info.product, info.version)),
        request_id_field: "RequestId".into(),
        error_example: cur.error_example,
        release,
    };
    plan.push(write::plan(&file, path, "alibaba")?);
    Ok(())
}
