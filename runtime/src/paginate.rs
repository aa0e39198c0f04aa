//! Page streams for list actions with page-number paging.
//!
//! A list action's generated input type implements [`Paged`]: where the page
//! number goes, the page size asked for, and where the records and the total
//! are in the output. [`Pages`] fetches page 1, 2, … lazily as the stream is
//! polled, and stops after an empty page, once the records seen reach the
//! reported total, or, when the service reports no total, after a short page
//! (fewer records than the page size). With a total, a short page is not
//! trusted as the end: some services serve fewer records per page than asked
//! for. An error is yielded once and ends the stream. [`Items`] flattens the
//! pages into records. Generated `<action>_pages` methods
//! return [`Pages`].
//!
//! The stop rules are not generic (one copy in the runtime, whatever the
//! action); per action only a thin stream layer is compiled, and only by a
//! crate that polls it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_util::Stream;

use crate::client::Client;
use crate::error::SdkError;
use crate::operation::Operation;

/// What the paginator needs to know about a fetched page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageInfo {
    /// Records on this page.
    pub items: usize,
    /// Total records over all pages, when the service reports it.
    pub total: Option<i64>,
}

/// The input of a list action with page-number paging (implemented by generated code).
pub trait Paged: Operation + Clone {
    /// One record of a page.
    type Item;
    /// The page size asked for: the input's, else the documented default, if any.
    fn page_size(&self) -> Option<i64>;
    /// Asks for page `page` (from 1).
    fn set_page(&mut self, page: u32);
    /// The records of a page, in place (`None` when the page carries none):
    /// counted to decide whether more pages follow, taken out by [`Items`].
    fn records(output: &mut Self::Output) -> Option<&mut Vec<Self::Item>>;
    /// The total over all pages, when the page reports one.
    fn total(output: &Self::Output) -> Option<i64>;

    /// Moves the records out of a page.
    fn take_records(mut output: Self::Output) -> Vec<Self::Item> {
        Self::records(&mut output)
            .map(std::mem::take)
            .unwrap_or_default()
    }
}

/// Which page comes next: the stop rules, shared by every paginator.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cursor {
    page_size: Option<i64>,
    /// The page to fetch next (while it is being fetched, that page).
    next: Option<u32>,
    /// Records seen so far.
    seen: usize,
}

impl Cursor {
    fn new(page_size: Option<i64>) -> Self {
        Cursor {
            page_size,
            next: Some(1),
            seen: 0,
        }
    }

    /// Counts the page just fetched and decides whether another follows.
    fn fetched(&mut self, info: PageInfo) {
        let Some(page) = self.next else {
            return;
        };
        self.seen += info.items;
        // With a total, trust it (a service may serve fewer records than asked);
        // without one, a short page is the last.
        let last = info.items == 0
            || match info.total {
                Some(total) => self.seen as i64 >= total,
                None => self
                    .page_size
                    .is_some_and(|size| (info.items as i64) < size),
            };
        self.next = if last { None } else { page.checked_add(1) };
    }

    /// A fetch failed: no page follows.
    fn failed(&mut self) {
        self.next = None;
    }
}

/// Result of fetching one page of `I`.
type PageResult<I> = Result<<I as Operation>::Output, SdkError<<I as Operation>::Error>>;

/// The pages of a list action, as a stream; see the [module docs](self).
pub struct Pages<'a, I: Paged> {
    client: &'a Client,
    input: I,
    cursor: Cursor,
    fetching: Option<Pin<Box<dyn Future<Output = PageResult<I>> + Send + 'a>>>,
}

impl<'a, I: Paged> Pages<'a, I> {
    /// The pages of `input` (its page number is set for each page), read with `client`.
    pub fn new(client: &'a Client, input: I) -> Self {
        Pages {
            client,
            cursor: Cursor::new(input.page_size()),
            input,
            fetching: None,
        }
    }

    /// The records of every page, in order.
    pub fn items(self) -> Items<'a, I> {
        Items {
            pages: self,
            buffer: Vec::new().into_iter(),
        }
    }
}

// Nothing is pinned structurally: the in-flight future is boxed.
impl<I: Paged> Unpin for Pages<'_, I> {}

impl<'a, I: Paged + 'a> Stream for Pages<'a, I> {
    type Item = PageResult<I>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.fetching.is_none()
            && let Some(page) = this.cursor.next
        {
            let mut input = this.input.clone();
            input.set_page(page);
            this.fetching = Some(Box::pin(this.client.call(input)));
        }
        let Some(fetching) = this.fetching.as_mut() else {
            return Poll::Ready(None);
        };
        let mut result = ready!(fetching.as_mut().poll(cx));
        this.fetching = None;
        match &mut result {
            Ok(output) => this.cursor.fetched(PageInfo {
                items: I::records(output).map_or(0, |records| records.len()),
                total: I::total(output),
            }),
            Err(_) => this.cursor.failed(),
        }
        Poll::Ready(Some(result))
    }
}

/// The records of every page of a list action, as one stream.
pub struct Items<'a, I: Paged> {
    pages: Pages<'a, I>,
    buffer: std::vec::IntoIter<I::Item>,
}

// Nothing is pinned structurally.
impl<I: Paged> Unpin for Items<'_, I> {}

impl<'a, I: Paged + 'a> Stream for Items<'a, I> {
    type Item = Result<I::Item, SdkError<I::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(output)) => this.buffer = I::take_records(output).into_iter(),
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                None => return Poll::Ready(None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake service with `total` records served `served` per page (the
    /// caller asked for `size`); returns the page sizes received and the
    /// pages requested.
    fn run(total: usize, size: usize, served: usize, report_total: bool) -> (Vec<usize>, Vec<u32>) {
        let mut cursor = Cursor::new(Some(size as i64));
        let (mut got, mut asked) = (Vec::new(), Vec::new());
        while let Some(page) = cursor.next {
            asked.push(page);
            let n = total
                .saturating_sub((page as usize - 1) * served)
                .min(served);
            got.push(n);
            cursor.fetched(PageInfo {
                items: n,
                total: report_total.then_some(total as i64),
            });
        }
        (got, asked)
    }

    #[test]
    fn stops_on_total_on_short_page_and_on_empty_page() {
        assert_eq!(run(45, 20, 20, true), (vec![20, 20, 5], vec![1, 2, 3]));
        assert_eq!(run(40, 20, 20, true), (vec![20, 20], vec![1, 2]));
        assert_eq!(run(45, 20, 20, false), (vec![20, 20, 5], vec![1, 2, 3]));
        assert_eq!(run(40, 20, 20, false), (vec![20, 20, 0], vec![1, 2, 3]));
        assert_eq!(run(0, 20, 20, true), (vec![0], vec![1]));
    }

    #[test]
    fn a_short_page_is_not_the_end_when_the_total_says_more_remain() {
        // The caller asked for 50 per page; the service serves 20 and reports 45 in all.
        assert_eq!(run(45, 50, 20, true), (vec![20, 20, 5], vec![1, 2, 3]));
    }

    #[test]
    fn without_a_page_size_only_the_total_or_an_empty_page_ends_the_listing() {
        let mut cursor = Cursor::new(None);
        cursor.fetched(PageInfo {
            items: 3,
            total: None,
        });
        assert_eq!(cursor.next, Some(2));
        cursor.fetched(PageInfo {
            items: 0,
            total: None,
        });
        assert_eq!(cursor.next, None);
    }

    #[test]
    fn an_error_ends_the_listing() {
        let mut cursor = Cursor::new(Some(10));
        cursor.fetched(PageInfo {
            items: 10,
            total: None,
        });
        assert_eq!(cursor.next, Some(2));
        cursor.failed();
        assert_eq!(cursor.next, None);
        cursor.fetched(PageInfo {
            items: 10,
            total: None,
        });
        assert_eq!(cursor.next, None, "nothing follows a failure");
    }

    #[test]
    fn the_last_page_number_ends_the_listing() {
        let mut cursor = Cursor::new(Some(10));
        cursor.next = Some(u32::MAX);
        cursor.fetched(PageInfo {
            items: 10,
            total: None,
        });
        assert_eq!(cursor.next, None);
    }
}
