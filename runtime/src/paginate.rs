//! Page streams for list actions, paged by page number or by token.
//!
//! A list action's generated input type implements [`Paged`]: how it pages
//! ([`PageMode`]), where the page number or token goes, the page size asked
//! for, and where the records and the total or next token are in the output.
//! [`Pages`] fetches page after page lazily as the stream is polled.
//!
//! With page numbers (1, 2, …) it stops after an empty page, once the records
//! seen reach the reported total, or, when the service reports no total, after
//! a short page (fewer records than the page size). With a total, a short page
//! is not trusted as the end: some services serve fewer records per page than
//! asked for. With tokens, each page's output carries the token of the next
//! (sent back as is); an absent or empty token marks the last page.
//!
//! An error is yielded once and ends the stream. [`Items`] flattens the
//! pages into records. Generated `<action>_pages` methods
//! return [`Pages`].
//!
//! A stream owns a clone of the client (an `Arc`), not a borrow, so it is
//! `Send + 'static`: it can be moved into `tokio::spawn` or stored.
//!
//! A server is untrusted input, so a listing that would not end is cut short
//! with a typed [`Runaway`] error instead of paging on to `u32::MAX`: a page
//! holding exactly the records of the page before (the service ignores the
//! page number), more pages than the reported total implies at the first
//! page's size (the total is never reached), a token that an earlier page
//! returned already (the tokens go round in a circle), or more than
//! [`Pages::max_pages`] pages ([`DEFAULT_MAX_PAGES`] unless set).
//!
//! The stop rules are not generic (one copy in the runtime, whatever the
//! action); per action only a thin stream layer is compiled, and only by a
//! crate that polls it.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_util::Stream;

use crate::action::Action;
use crate::client::Client;
use crate::error::SdkError;

/// Pages a stream reads at most unless [`Pages::max_pages`] says otherwise.
pub const DEFAULT_MAX_PAGES: u32 = 10_000;

/// What the paginator needs to know about a fetched page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageInfo {
    /// Records on this page.
    pub items: usize,
    /// Total records over all pages, when the service reports it.
    pub total: Option<i64>,
    /// Whether the page holds exactly the (non-empty) records of the page before.
    pub repeated: bool,
}

/// How a list action says which page to send next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageMode {
    /// Page numbers from 1; the output may report the total over all pages.
    Number,
    /// Each page's output carries the token of the next; none (or an empty
    /// one) on the last page.
    Token,
}

/// Which page to ask for, as [`Request::set`] is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageAt<'a> {
    /// Page number `n` (from 1), for [`PageMode::Number`].
    Number(u32),
    /// The token the page before returned, for [`PageMode::Token`].
    Token(&'a str),
}

/// The input of a list action (implemented by generated code): two
/// accessors, each one call naming the fields, so the paging logic (how a
/// page number is written, what counts as the total) is compiled once here
/// rather than once per action.
pub trait Paged: Action + Clone + 'static {
    /// One record of a page (compared with the page before to catch a
    /// service that ignores the page number or token).
    type Item: Clone + PartialEq + Send + 'static;
    /// Where the input takes the page to ask for, and the page size it asks for.
    fn request(&mut self) -> Request<'_>;
    /// What a page holds: its records and the total or the next token.
    fn page(output: &mut Self::Output) -> Page<'_, Self::Item>;

    /// Moves the records out of a page.
    fn take_records(mut output: Self::Output) -> Vec<Self::Item> {
        Self::page(&mut output)
            .records
            .map(std::mem::take)
            .unwrap_or_default()
    }
}

/// A list action's input as the paginator sees it ([`Paged::request`]).
#[derive(Debug)]
pub struct Request<'a> {
    at: Slot<'a>,
    page_size: Option<i64>,
}

/// The input field a page number or token is written to.
#[derive(Debug)]
enum Slot<'a> {
    I32(&'a mut Option<i32>),
    I64(&'a mut Option<i64>),
    Token(&'a mut Option<String>),
}

/// A page-number field's type (`i32` or `i64`).
pub trait PageNumber: Copy + Into<i64> {
    /// The request slot of a page-number field of this type.
    #[doc(hidden)]
    fn slot(field: &mut Option<Self>) -> Request<'_>;
}

impl PageNumber for i32 {
    fn slot(field: &mut Option<Self>) -> Request<'_> {
        Request {
            at: Slot::I32(field),
            page_size: None,
        }
    }
}

impl PageNumber for i64 {
    fn slot(field: &mut Option<Self>) -> Request<'_> {
        Request {
            at: Slot::I64(field),
            page_size: None,
        }
    }
}

impl<'a> Request<'a> {
    /// Pages by number in `field`; `size` is the input's page size, else `default`.
    pub fn number<N: PageNumber, S: Into<i64>>(
        field: &'a mut Option<N>,
        size: Option<S>,
        default: Option<i64>,
    ) -> Self {
        Request {
            page_size: size.map(Into::into).or(default),
            ..N::slot(field)
        }
    }

    /// Pages by the token in `field`; `size` is the input's page size, else `default`.
    pub fn token<S: Into<i64>>(
        field: &'a mut Option<String>,
        size: Option<S>,
        default: Option<i64>,
    ) -> Self {
        Request {
            at: Slot::Token(field),
            page_size: size.map(Into::into).or(default),
        }
    }

    /// How the action pages.
    pub fn mode(&self) -> PageMode {
        match self.at {
            Slot::I32(_) | Slot::I64(_) => PageMode::Number,
            Slot::Token(_) => PageMode::Token,
        }
    }

    /// The page size asked for: the input's, else the documented default, if any.
    pub fn page_size(&self) -> Option<i64> {
        self.page_size
    }

    /// Asks for the page `at` says (a number for a numbered action, a token
    /// for a tokened one; the other kind is ignored). A number past
    /// `i32::MAX` is sent as `i32::MAX` in an `i32` field.
    pub fn set(self, at: PageAt<'_>) {
        match (self.at, at) {
            (Slot::I32(field), PageAt::Number(n)) => {
                *field = Some(i32::try_from(n).unwrap_or(i32::MAX));
            }
            (Slot::I64(field), PageAt::Number(n)) => *field = Some(i64::from(n)),
            (Slot::Token(field), PageAt::Token(token)) => *field = Some(token.to_owned()),
            _ => {}
        }
    }
}

/// What one page holds ([`Paged::page`]).
#[derive(Debug)]
pub struct Page<'a, T> {
    records: Option<&'a mut Vec<T>>,
    total: Option<i64>,
    next_token: Option<&'a str>,
}

impl<'a, T> Page<'a, T> {
    /// A numbered page: its `records` (`None` when it carries none) and the
    /// total over all pages, when it reports one.
    pub fn number<N: Into<i64>>(records: Option<&'a mut Vec<T>>, total: Option<N>) -> Self {
        Page {
            records,
            total: total.map(Into::into),
            next_token: None,
        }
    }

    /// A tokened page: its `records` and the token of the next page (`None`
    /// or empty on the last).
    pub fn token(records: Option<&'a mut Vec<T>>, next_token: &'a Option<String>) -> Self {
        Page {
            records,
            total: None,
            next_token: next_token.as_deref(),
        }
    }
}

/// Why a listing was cut short: the service's pages would not have ended.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Runaway {
    /// Page `page` held exactly the records of the page before: the service
    /// ignores the page number. That page is not yielded.
    RepeatedPage {
        /// The repeated page's number.
        page: u32,
    },
    /// `pages` pages were read, as many as the reported `total` implies at
    /// the first page's size, yet only `seen` records came.
    PastTotal {
        /// Pages read.
        pages: u32,
        /// The total the last page reported.
        total: i64,
        /// Records seen over those pages.
        seen: usize,
    },
    /// Page `page` returned a token that an earlier page returned already:
    /// the tokens go round in a circle. Its records were yielded; nothing follows.
    RepeatedToken {
        /// The number of the page (from 1) that repeated a token.
        page: u32,
    },
    /// `limit` pages were read and the service said more follow.
    PageLimit {
        /// The page limit ([`Pages::max_pages`]).
        limit: u32,
    },
}

impl fmt::Display for Runaway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Runaway::RepeatedPage { page } => write!(
                f,
                "page {page} repeats the records of page {}: the service ignores the page number",
                page - 1
            ),
            Runaway::PastTotal { pages, total, seen } => write!(
                f,
                "{pages} pages should hold all {total} records, but only {seen} came"
            ),
            Runaway::RepeatedToken { page } => write!(
                f,
                "page {page} returned the token of an earlier page: the tokens go round in a circle"
            ),
            Runaway::PageLimit { limit } => {
                write!(f, "more than {limit} pages (the page limit)")
            }
        }
    }
}

/// How a page stream failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum PageError<E> {
    /// Fetching a page failed.
    Call(SdkError<E>),
    /// The pages would not have ended; nothing follows.
    Runaway(Runaway),
}

impl<E> PageError<E> {
    /// The failed call, if a call failed.
    pub fn as_call(&self) -> Option<&SdkError<E>> {
        match self {
            PageError::Call(e) => Some(e),
            PageError::Runaway(_) => None,
        }
    }
}

impl<E> From<SdkError<E>> for PageError<E> {
    fn from(e: SdkError<E>) -> Self {
        PageError::Call(e)
    }
}

impl<E: fmt::Display> fmt::Display for PageError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageError::Call(e) => e.fmt(f),
            PageError::Runaway(r) => write!(f, "listing stopped: {r}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for PageError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PageError::Call(e) => Some(e),
            PageError::Runaway(_) => None,
        }
    }
}

/// What a [`Cursor`] does next.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Next {
    /// Fetch this page (while it is being fetched, that page).
    Page(u32),
    /// Report this, then end.
    Stop(Runaway),
    /// Nothing follows.
    End,
}

/// Which page comes next: the stop rules, shared by every paginator.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cursor {
    mode: PageMode,
    page_size: Option<i64>,
    max_pages: u32,
    next: Next,
    /// Records seen so far.
    seen: usize,
    /// Records on page 1: with a total, how many pages there should be.
    first: usize,
    /// With tokens: the one to send for the next page.
    token: Option<String>,
    /// With tokens: every token returned so far (at most one per page read).
    tokens: HashSet<String>,
}

impl Cursor {
    fn new(mode: PageMode, page_size: Option<i64>) -> Self {
        Cursor {
            mode,
            page_size,
            max_pages: DEFAULT_MAX_PAGES,
            next: Next::Page(1),
            seen: 0,
            first: 0,
            token: None,
            tokens: HashSet::new(),
        }
    }

    /// The page to fetch (`Ok(None)` at the end), or, once, why the listing stopped.
    fn start(&mut self) -> Result<Option<u32>, Runaway> {
        match std::mem::replace(&mut self.next, Next::End) {
            Next::Page(page) => {
                self.next = Next::Page(page);
                Ok(Some(page))
            }
            Next::Stop(why) => Err(why),
            Next::End => Ok(None),
        }
    }

    /// Counts the page just fetched (with the next token it returned, if the
    /// action pages by token) and decides whether another follows; `Err` when
    /// this page must not be yielded (it repeats the one before).
    fn fetched(&mut self, info: PageInfo, next_token: Option<&str>) -> Result<(), Runaway> {
        let Next::Page(page) = self.next else {
            return Ok(());
        };
        if info.repeated {
            self.next = Next::End;
            return Err(Runaway::RepeatedPage { page });
        }
        if page == 1 {
            self.first = info.items;
        }
        self.seen += info.items;
        self.next = match self.mode {
            PageMode::Number => self.after_number(page, info),
            PageMode::Token => self.after_token(page, next_token),
        };
        Ok(())
    }

    /// Page numbers: what follows page `page`.
    fn after_number(&self, page: u32, info: PageInfo) -> Next {
        if self.last(info) {
            Next::End
        } else if let Some(total) = info.total.filter(|&t| self.past_total(page, t)) {
            Next::Stop(Runaway::PastTotal {
                pages: page,
                total,
                seen: self.seen,
            })
        } else {
            self.page_after(page)
        }
    }

    /// Tokens: what follows page `page`, which returned `token`.
    fn after_token(&mut self, page: u32, token: Option<&str>) -> Next {
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            self.token = None;
            return Next::End;
        };
        if !self.tokens.insert(token.to_owned()) {
            self.token = None;
            return Next::Stop(Runaway::RepeatedToken { page });
        }
        self.token = Some(token.to_owned());
        self.page_after(page)
    }

    /// The page after `page`, unless that is past the page limit.
    fn page_after(&self, page: u32) -> Next {
        if page >= self.max_pages {
            Next::Stop(Runaway::PageLimit {
                limit: self.max_pages,
            })
        } else {
            Next::Page(page + 1)
        }
    }

    /// With a total, trust it (a service may serve fewer records than asked);
    /// without one, a short page is the last. An empty page always is.
    fn last(&self, info: PageInfo) -> bool {
        info.items == 0
            || match info.total {
                Some(total) => i64::try_from(self.seen).is_ok_and(|seen| seen >= total),
                None => self
                    .page_size
                    .is_some_and(|size| i64::try_from(info.items).is_ok_and(|n| n < size)),
            }
    }

    /// Whether `page` pages are all that `total` records take at the first page's size.
    fn past_total(&self, page: u32, total: i64) -> bool {
        let (Ok(total), Ok(first)) = (u64::try_from(total), u64::try_from(self.first)) else {
            return false;
        };
        first > 0 && u64::from(page) >= total.div_ceil(first)
    }

    /// A fetch failed: no page follows.
    fn failed(&mut self) {
        self.next = Next::End;
    }
}

/// Result of fetching one page of `I`.
type PageResult<I> = Result<<I as Action>::Output, PageError<<I as Action>::Error>>;

/// The in-flight fetch of one page.
type Fetch<I> = Pin<
    Box<dyn Future<Output = Result<<I as Action>::Output, SdkError<<I as Action>::Error>>> + Send>,
>;

/// The pages of a list action, as a stream; see the [module docs](self).
pub struct Pages<I: Paged> {
    client: Client,
    input: I,
    cursor: Cursor,
    fetching: Option<Fetch<I>>,
    /// The records of the last page yielded, while another page follows.
    previous: Vec<I::Item>,
    /// Whether page 1 is asked for by number (else the input goes as given).
    number_first_page: bool,
}

impl<I: Paged> Pages<I> {
    /// The pages of `input` (its page number is set for each page), read
    /// with a clone of `client`.
    pub fn new(client: &Client, mut input: I) -> Self {
        let request = input.request();
        let cursor = Cursor::new(request.mode(), request.page_size());
        Pages {
            client: client.clone(),
            cursor,
            input,
            fetching: None,
            previous: Vec::new(),
            number_first_page: true,
        }
    }

    /// Sends the input as given for page 1 (the service's default page) and
    /// sets the page number only from page 2: a waiter's read of one batch
    /// stays one unchanged request unless the service pages it.
    pub(crate) fn unnumbered_first_page(mut self) -> Self {
        self.number_first_page = false;
        self
    }

    /// Reads at most `limit` pages (at least one): if the service says more
    /// follow, the stream ends with [`Runaway::PageLimit`]. The default is
    /// [`DEFAULT_MAX_PAGES`].
    pub fn max_pages(mut self, limit: u32) -> Self {
        self.cursor.max_pages = limit.max(1);
        self
    }

    /// The records of every page, in order.
    pub fn items(self) -> Items<I> {
        Items {
            pages: self,
            buffer: Vec::new().into_iter(),
        }
    }

    /// Judges a fetched page: `Err` when it must not be yielded.
    fn fetched(&mut self, output: &mut I::Output) -> Result<(), Runaway> {
        let page = I::page(output);
        judge(
            &mut self.cursor,
            &mut self.previous,
            page.records.map(|r| r.as_slice()),
            page.total,
            page.next_token,
        )
    }

    /// The input for page `page`: its number set (from page 2 only, unless
    /// page 1 is numbered too), or from page 2 the token of the page before.
    fn input_for(&self, page: u32) -> I {
        let mut input = self.input.clone();
        match (self.cursor.mode, &self.cursor.token) {
            (PageMode::Number, _) if page > 1 || self.number_first_page => {
                input.request().set(PageAt::Number(page));
            }
            (PageMode::Token, Some(token)) if page > 1 => {
                input.request().set(PageAt::Token(token));
            }
            _ => {}
        }
        input
    }
}

/// Hands the cursor what a page holds, comparing its records with the page
/// before (kept in `previous` while another page follows); `Err` when the
/// page must not be yielded. Generic over the record type only.
fn judge<T: Clone + PartialEq>(
    cursor: &mut Cursor,
    previous: &mut Vec<T>,
    records: Option<&[T]>,
    total: Option<i64>,
    next_token: Option<&str>,
) -> Result<(), Runaway> {
    let records = records.unwrap_or_default();
    let info = PageInfo {
        items: records.len(),
        total,
        repeated: !records.is_empty() && records == previous.as_slice(),
    };
    cursor.fetched(info, next_token)?;
    previous.clear();
    if let Next::Page(_) = cursor.next {
        previous.extend_from_slice(records);
    }
    Ok(())
}

// Nothing is pinned structurally: the in-flight future is boxed.
impl<I: Paged> Unpin for Pages<I> {}

impl<I: Paged> Stream for Pages<I> {
    type Item = PageResult<I>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.fetching.is_none() {
            match this.cursor.start() {
                Ok(Some(page)) => {
                    let input = this.input_for(page);
                    let client = this.client.clone();
                    this.fetching = Some(Box::pin(async move { client.call(input).await }));
                }
                Ok(None) => return Poll::Ready(None),
                Err(why) => return Poll::Ready(Some(Err(PageError::Runaway(why)))),
            }
        }
        let Some(fetching) = this.fetching.as_mut() else {
            return Poll::Ready(None);
        };
        let result = ready!(fetching.as_mut().poll(cx));
        this.fetching = None;
        Poll::Ready(Some(match result {
            Ok(mut output) => match this.fetched(&mut output) {
                Ok(()) => Ok(output),
                Err(why) => Err(PageError::Runaway(why)),
            },
            Err(e) => {
                this.cursor.failed();
                Err(PageError::Call(e))
            }
        }))
    }
}

/// The records of every page of a list action, as one stream.
pub struct Items<I: Paged> {
    pages: Pages<I>,
    buffer: std::vec::IntoIter<I::Item>,
}

// Nothing is pinned structurally.
impl<I: Paged> Unpin for Items<I> {}

impl<I: Paged> Stream for Items<I> {
    type Item = Result<I::Item, PageError<I::Error>>;

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

    #[test]
    fn a_request_writes_the_page_into_its_field_at_the_fields_width() {
        let mut narrow: Option<i32> = None;
        let request = Request::number(&mut narrow, Some(7i32), Some(20));
        assert_eq!(
            (request.mode(), request.page_size()),
            (PageMode::Number, Some(7))
        );
        request.set(PageAt::Number(u32::MAX));
        assert_eq!(narrow, Some(i32::MAX));
        let mut wide: Option<i64> = None;
        let request = Request::number(&mut wide, None::<i64>, Some(20));
        assert_eq!(request.page_size(), Some(20));
        request.set(PageAt::Number(u32::MAX));
        assert_eq!(wide, Some(i64::from(u32::MAX)));
        let mut token = None;
        let request = Request::token(&mut token, None::<i32>, None);
        assert_eq!(
            (request.mode(), request.page_size()),
            (PageMode::Token, None)
        );
        request.set(PageAt::Number(2));
        assert_eq!(token, None, "a number is not a token");
        Request::token(&mut token, None::<i32>, None).set(PageAt::Token("t2"));
        assert_eq!(token.as_deref(), Some("t2"));
    }

    #[test]
    fn a_page_gives_its_records_and_its_total_or_next_token() {
        let mut records = vec![1, 2];
        let page = Page::number(Some(&mut records), Some(5i32));
        assert_eq!((page.total, page.next_token), (Some(5), None));
        let next = Some("n".to_string());
        let page = Page::token(Some(&mut records), &next);
        assert_eq!((page.total, page.next_token), (None, Some("n")));
        assert_eq!(page.records.map(|r| r.len()), Some(2));
    }

    /// Lists from a fake service answering page `n` with `serve(n)` (record
    /// ids and total), as [`Pages`] does: returns the pages asked for, the
    /// records yielded, and how the listing ended.
    fn list(
        size: Option<i64>,
        max_pages: u32,
        serve: impl Fn(u32) -> (Vec<u32>, Option<i64>),
    ) -> (Vec<u32>, Vec<u32>, Result<(), Runaway>) {
        let mut cursor = Cursor::new(PageMode::Number, size);
        cursor.max_pages = max_pages;
        let (mut asked, mut got, mut previous) = (Vec::new(), Vec::new(), Vec::new());
        loop {
            match cursor.start() {
                Ok(Some(page)) => {
                    assert!(page <= 2 * DEFAULT_MAX_PAGES, "the listing does not end");
                    asked.push(page);
                    let (records, total) = serve(page);
                    if let Err(why) = judge(&mut cursor, &mut previous, Some(&records), total, None)
                    {
                        assert_eq!(cursor.start(), Ok(None), "nothing follows a runaway");
                        return (asked, got, Err(why));
                    }
                    got.extend(records);
                }
                Ok(None) => return (asked, got, Ok(())),
                Err(why) => {
                    assert_eq!(cursor.start(), Ok(None), "a runaway is reported once");
                    return (asked, got, Err(why));
                }
            }
        }
    }

    /// A service with `total` records served `served` per page (the caller
    /// asked for `size`); returns the page sizes received and the pages requested.
    fn run(total: usize, size: usize, served: usize, report_total: bool) -> (Vec<usize>, Vec<u32>) {
        let mut sizes = Vec::new();
        let (asked, got, end) = list(Some(size as i64), DEFAULT_MAX_PAGES, |page| {
            let start = (page as usize - 1) * served;
            let records: Vec<u32> = (start..total.min(start + served))
                .map(|i| i as u32)
                .collect();
            (records, report_total.then_some(total as i64))
        });
        assert_eq!(end, Ok(()));
        assert_eq!(got, (0..total as u32).collect::<Vec<_>>());
        let mut left = total;
        for _ in &asked {
            let n = left.min(served);
            sizes.push(n);
            left -= n;
        }
        (sizes, asked)
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
        let (asked, got, end) = list(None, DEFAULT_MAX_PAGES, |page| match page {
            1 => (vec![1, 2, 3], None),
            _ => (vec![], None),
        });
        assert_eq!((asked, got, end), (vec![1, 2], vec![1, 2, 3], Ok(())));
    }

    #[test]
    fn an_error_ends_the_listing() {
        let mut cursor = Cursor::new(PageMode::Number, Some(10));
        let info = PageInfo {
            items: 10,
            total: None,
            repeated: false,
        };
        assert_eq!(cursor.start(), Ok(Some(1)));
        assert_eq!(cursor.fetched(info, None), Ok(()));
        assert_eq!(cursor.start(), Ok(Some(2)));
        cursor.failed();
        assert_eq!(cursor.fetched(info, None), Ok(()));
        assert_eq!(cursor.start(), Ok(None), "nothing follows a failure");
    }

    #[test]
    fn a_service_ignoring_the_page_number_stops_at_the_repeated_page() {
        // Always page 1, with a total that says more remain.
        let (asked, got, end) = list(Some(2), DEFAULT_MAX_PAGES, |_| (vec![7, 8], Some(6)));
        assert_eq!(asked, [1, 2]);
        assert_eq!(got, [7, 8], "the repeated page is not yielded");
        assert_eq!(end, Err(Runaway::RepeatedPage { page: 2 }));
        // Without a total, full pages forever.
        let (asked, _, end) = list(Some(2), DEFAULT_MAX_PAGES, |_| (vec![7, 8], None));
        assert_eq!(asked, [1, 2]);
        assert_eq!(end, Err(Runaway::RepeatedPage { page: 2 }));
    }

    #[test]
    fn a_total_never_reached_stops_past_the_pages_it_implies() {
        // 2 records a page and a total of 5: three pages, then a typed stop,
        // although the service keeps serving one new record a page.
        let (asked, got, end) = list(Some(2), DEFAULT_MAX_PAGES, |page| match page {
            1 => (vec![0, 1], Some(5)),
            n => (vec![n], Some(5)),
        });
        assert_eq!(asked, [1, 2, 3]);
        assert_eq!(got, [0, 1, 2, 3]);
        assert_eq!(
            end,
            Err(Runaway::PastTotal {
                pages: 3,
                total: 5,
                seen: 4
            })
        );
    }

    #[test]
    fn the_page_limit_stops_a_listing_that_has_more() {
        let endless = |page: u32| (vec![page], None);
        let (asked, got, end) = list(Some(1), 3, endless);
        assert_eq!((asked, got), (vec![1, 2, 3], vec![1, 2, 3]));
        assert_eq!(end, Err(Runaway::PageLimit { limit: 3 }));
        // The default limit holds even against a total it would take u32::MAX pages to reach.
        let (asked, _, end) = list(Some(1), DEFAULT_MAX_PAGES, |page| {
            (vec![page], Some(i64::MAX))
        });
        assert_eq!(asked.len(), DEFAULT_MAX_PAGES as usize);
        assert_eq!(
            end,
            Err(Runaway::PageLimit {
                limit: DEFAULT_MAX_PAGES
            })
        );
        // A listing that ends at the limit is complete.
        let (asked, _, end) = list(Some(1), 2, |page| (vec![page], Some(2)));
        assert_eq!((asked, end), (vec![1, 2], Ok(())));
    }

    /// Lists from a fake token-paged service answering the token sent
    /// (`None` for the first page) with records and the next token: returns
    /// the tokens sent, the records yielded, and how the listing ended.
    fn list_tokens(
        max_pages: u32,
        serve: impl Fn(Option<&str>) -> (Vec<u32>, Option<&'static str>),
    ) -> (Vec<Option<String>>, Vec<u32>, Result<(), Runaway>) {
        let mut cursor = Cursor::new(PageMode::Token, Some(2));
        cursor.max_pages = max_pages;
        let (mut sent, mut got, mut previous) = (Vec::new(), Vec::new(), Vec::new());
        loop {
            match cursor.start() {
                Ok(Some(page)) => {
                    assert!(page <= 2 * DEFAULT_MAX_PAGES, "the listing does not end");
                    let token = if page > 1 { cursor.token.clone() } else { None };
                    assert_eq!(token.is_some(), page > 1, "a token from page 2 on, only");
                    let (records, next) = serve(token.as_deref());
                    sent.push(token);
                    if let Err(why) = judge(&mut cursor, &mut previous, Some(&records), None, next)
                    {
                        return (sent, got, Err(why));
                    }
                    got.extend(records);
                }
                Ok(None) => return (sent, got, Ok(())),
                Err(why) => {
                    assert_eq!(cursor.start(), Ok(None), "a runaway is reported once");
                    return (sent, got, Err(why));
                }
            }
        }
    }

    fn owned(tokens: &[Option<&str>]) -> Vec<Option<String>> {
        tokens.iter().map(|t| t.map(str::to_owned)).collect()
    }

    #[test]
    fn token_paging_sends_each_token_back_until_none_or_an_empty_one_comes() {
        let serve = |last: Option<&'static str>| {
            move |token: Option<&str>| match token {
                None => (vec![1, 2], Some("t2")),
                Some("t2") => (vec![3, 4], Some("t3")),
                _ => (vec![5], last),
            }
        };
        for last in [None, Some("")] {
            let (sent, got, end) = list_tokens(DEFAULT_MAX_PAGES, serve(last));
            assert_eq!(sent, owned(&[None, Some("t2"), Some("t3")]));
            assert_eq!((got, end), (vec![1, 2, 3, 4, 5], Ok(())));
        }
        // A page without records is not the end while a token comes with it.
        let (sent, got, end) = list_tokens(DEFAULT_MAX_PAGES, |token| match token {
            None => (vec![], Some("t2")),
            _ => (vec![1], None),
        });
        assert_eq!(
            (sent, got, end),
            (owned(&[None, Some("t2")]), vec![1], Ok(()))
        );
    }

    #[test]
    fn a_token_returned_twice_stops_the_listing() {
        // The service hands back the token it was sent.
        let (sent, got, end) = list_tokens(DEFAULT_MAX_PAGES, |token| match token {
            None => (vec![1], Some("a")),
            Some(_) => (vec![2], Some("a")),
        });
        assert_eq!(sent, owned(&[None, Some("a")]));
        assert_eq!(got, [1, 2], "the page repeating a token is still yielded");
        assert_eq!(end, Err(Runaway::RepeatedToken { page: 2 }));
        // Tokens in a circle: a → b → a.
        let (sent, _, end) = list_tokens(DEFAULT_MAX_PAGES, |token| match token {
            None => (vec![1], Some("a")),
            Some("a") => (vec![2], Some("b")),
            _ => (vec![3], Some("a")),
        });
        assert_eq!(sent, owned(&[None, Some("a"), Some("b")]));
        assert_eq!(end, Err(Runaway::RepeatedToken { page: 3 }));
    }

    #[test]
    fn the_page_limit_stops_token_paging_too() {
        let (sent, got, end) = list_tokens(2, |token| match token {
            None => (vec![1], Some("a")),
            Some(_) => (vec![2], Some("b")),
        });
        assert_eq!((sent.len(), got), (2, vec![1, 2]));
        assert_eq!(end, Err(Runaway::PageLimit { limit: 2 }));
    }

    #[test]
    fn runaways_say_what_happened() {
        assert_eq!(
            Runaway::RepeatedToken { page: 4 }.to_string(),
            "page 4 returned the token of an earlier page: the tokens go round in a circle"
        );
        assert_eq!(
            Runaway::RepeatedPage { page: 2 }.to_string(),
            "page 2 repeats the records of page 1: the service ignores the page number"
        );
        assert_eq!(
            Runaway::PastTotal {
                pages: 3,
                total: 5,
                seen: 4
            }
            .to_string(),
            "3 pages should hold all 5 records, but only 4 came"
        );
        assert_eq!(
            Runaway::PageLimit { limit: 9 }.to_string(),
            "more than 9 pages (the page limit)"
        );
    }
}
