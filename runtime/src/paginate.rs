//! Page streams for list actions with page-number paging.
//!
//! [`pages`] fetches page 1, 2, … lazily as the stream is polled, and stops
//! after an empty page, once the records seen reach the reported total, or,
//! when the service reports no total, after a short page (fewer records than
//! the page size). With a total, a short page is not trusted as the end: some
//! services serve fewer records per page than asked for. [`items`] flattens pages
//! into records. Generated `<action>_pages` / `<action>_items` methods wrap
//! these with the action's field names.

use std::future::Future;

use futures_util::{Stream, TryStreamExt, stream};

/// What the paginator needs to know about a fetched page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageInfo {
    /// Records on this page.
    pub items: usize,
    /// Total records over all pages, when the service reports it.
    pub total: Option<i64>,
}

struct State<F> {
    fetch: F,
    next: Option<u32>,
    seen: usize,
}

/// A stream of pages; `fetch(n)` fetches page `n` (from 1).
pub fn pages<O, E, F, Fut>(page_size: Option<i64>, fetch: F) -> impl Stream<Item = Result<O, E>>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<(O, PageInfo), E>>,
{
    let start = State {
        fetch,
        next: Some(1),
        seen: 0,
    };
    stream::unfold(start, move |mut state| async move {
        let page = state.next?;
        match (state.fetch)(page).await {
            Ok((output, info)) => {
                state.seen += info.items;
                // With a total, trust it (a service may serve fewer records than asked);
                // without one, a short page is the last.
                let last = info.items == 0
                    || match info.total {
                        Some(total) => state.seen as i64 >= total,
                        None => page_size.is_some_and(|size| (info.items as i64) < size),
                    };
                state.next = if last { None } else { page.checked_add(1) };
                Some((Ok(output), state))
            }
            Err(e) => {
                state.next = None;
                Some((Err(e), state))
            }
        }
    })
}

/// The records of every page, in order; `extract` takes a page's records.
pub fn items<O, I, E>(
    pages: impl Stream<Item = Result<O, E>>,
    extract: impl Fn(O) -> Vec<I>,
) -> impl Stream<Item = Result<I, E>> {
    pages
        .map_ok(move |output| stream::iter(extract(output).into_iter().map(Ok)))
        .try_flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_executor::block_on;
    use futures_util::StreamExt;

    /// A fake service with `total` records served `size` per page; returns the pages requested.
    fn run(total: usize, size: usize, report_total: bool) -> (Vec<usize>, Vec<u32>) {
        let mut asked = Vec::new();
        let stream = pages(Some(size as i64), |page| {
            asked.push(page);
            let start = (page as usize - 1) * size;
            let n = total.saturating_sub(start).min(size);
            let total = report_total.then_some(total as i64);
            async move { Ok::<_, ()>((n, PageInfo { items: n, total })) }
        });
        let got: Vec<usize> = block_on(stream.map(|r| r.unwrap()).collect());
        (got, asked)
    }

    #[test]
    fn stops_on_total_on_short_page_and_on_empty_page() {
        assert_eq!(run(45, 20, true), (vec![20, 20, 5], vec![1, 2, 3]));
        assert_eq!(run(40, 20, true), (vec![20, 20], vec![1, 2]));
        assert_eq!(run(40, 20, false), (vec![20, 20, 0], vec![1, 2, 3]));
        assert_eq!(run(0, 20, true), (vec![0], vec![1]));
    }

    #[test]
    fn a_short_page_is_not_the_end_when_the_total_says_more_remain() {
        // The caller asked for 50 per page; the service serves 20 and reports 45 in all.
        let mut asked = Vec::new();
        let stream = pages(Some(50), |page| {
            asked.push(page);
            let n = 45usize.saturating_sub((page as usize - 1) * 20).min(20);
            async move {
                Ok::<_, ()>((
                    n,
                    PageInfo {
                        items: n,
                        total: Some(45),
                    },
                ))
            }
        });
        let got: Vec<usize> = block_on(stream.map(|r| r.unwrap()).collect());
        assert_eq!(got, vec![20, 20, 5]);
        assert_eq!(asked, vec![1, 2, 3]);
    }

    #[test]
    fn an_error_ends_the_stream_after_being_yielded() {
        let stream = pages(Some(10), |page| async move {
            if page == 2 {
                Err("boom")
            } else {
                Ok((
                    (),
                    PageInfo {
                        items: 10,
                        total: None,
                    },
                ))
            }
        });
        let got: Vec<Result<(), &str>> = block_on(stream.collect());
        assert_eq!(got, vec![Ok(()), Err("boom")]);
    }

    #[test]
    fn items_flattens_pages() {
        let pages = stream::iter(vec![Ok::<_, ()>(vec![1, 2]), Ok(vec![3])]);
        let got: Vec<i32> = block_on(items(pages, |v| v).map(|r| r.unwrap()).collect());
        assert_eq!(got, vec![1, 2, 3]);
    }
}
