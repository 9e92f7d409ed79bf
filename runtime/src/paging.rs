//! Streams over every item of a paged collection: the first request, then each
//! `@odata.nextLink`, through the same transport as a one-page call.
//!
//! Generated `*_stream` methods build their first request and hand it here, so the paging rules
//! live in one hand-written place:
//! - every page is its own call: a fresh token, its own `client-request-id` (unless the
//!   caller's options fix one), the client's retry policy, timeout and default headers;
//! - the first request's header parameters (such as `ConsistencyLevel`) are sent again with
//!   every next page, since Graph applies them per request; its query is not, because the
//!   next link already carries it;
//! - a next link not below the client's base URL ends the stream with
//!   [`Error::NextLinkRefused`] before anything is sent (the transport refuses it), so the token
//!   never goes to another host;
//! - `max_items` stops the stream once that many items were yielded, without fetching a page
//!   the caller will not read;
//! - the first error ends the stream: a page that failed has no next link to follow.

use crate::{Error, Request, RequestOptions, Runtime};
use futures_core::Stream;
use serde::de::DeserializeOwned;
use std::collections::VecDeque;

/// One page as Graph sends it. Anything else the page carries (`@odata.count`, ...) belongs to
/// the one-page method, which decodes the whole collection type.
#[derive(serde::Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct Page<T> {
    value: Option<Vec<T>>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
}

/// Where a stream stands between items.
struct State<T> {
    /// Items of the last page not yet yielded.
    buffered: VecDeque<T>,
    /// The request for the next page; `None` once there is none, or after an error.
    next: Option<Result<Request, Error>>,
    /// Items the caller still wants; `None` for all of them.
    remaining: Option<usize>,
}

impl Runtime {
    /// Every item of a paged collection, page after page, with per-call `options`; the
    /// plumbing of generated `*_stream` methods, which pass the first request as they built it
    /// (an error there becomes the stream's only item). See the module docs for the rules.
    #[doc(hidden)]
    pub fn stream_with_options<'a, T>(
        &'a self,
        first: Result<Request, Error>,
        options: Option<&'a RequestOptions>,
        max_items: Option<usize>,
    ) -> impl Stream<Item = Result<T, Error>> + Send + 'a
    where
        T: DeserializeOwned + Send + 'a,
    {
        let state = State {
            buffered: VecDeque::new(),
            next: Some(first),
            remaining: max_items,
        };
        futures_util::stream::unfold(state, move |mut state| async move {
            loop {
                if state.remaining == Some(0) {
                    return None;
                }
                if let Some(item) = state.buffered.pop_front() {
                    state.remaining = state.remaining.map(|n| n - 1);
                    return Some((Ok(item), state));
                }
                let request = match state.next.take()? {
                    Ok(request) => request,
                    Err(error) => return Some((Err(error), state)),
                };
                match self.fetch_page::<T>(request, options).await {
                    Ok((items, next)) => {
                        state.buffered = items.into();
                        state.next = next.map(Ok);
                    }
                    Err(error) => return Some((Err(error), state)),
                }
            }
        })
    }

    /// Sends one page's request; returns its items and the request for the page after it.
    async fn fetch_page<T: DeserializeOwned>(
        &self,
        request: Request,
        options: Option<&RequestOptions>,
    ) -> Result<(Vec<T>, Option<Request>), Error> {
        let page: Page<T> = self
            .send_with_options(request.clone(), options)
            .await?
            .json()?;
        let next = match page.next_link {
            None => None,
            // A page naming itself as the next one would be fetched forever.
            Some(link) if request.next_link.as_deref() == Some(link.as_str()) => {
                return Err(Error::Decode {
                    operation: request.operation.name,
                    field: "@odata.nextLink".to_owned(),
                    message: format!("the page at {link:?} names itself as the next page"),
                });
            }
            Some(link) => Some(following(&request, link)),
        };
        Ok((page.value.unwrap_or_default(), next))
    }
}

/// The GET of the page at `link`, with the header parameters of the request before it.
fn following(previous: &Request, link: String) -> Request {
    let mut request = Request::next_page(previous.operation, previous.binding, link);
    request.headers = previous.headers.clone();
    request
}
