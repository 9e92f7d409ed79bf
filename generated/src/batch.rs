// Hand-written, not generated: a helper over the generated `getPresencesByUserId` methods, kept
// in the client crate because it names both versions' generated types.

//! Presence of any number of users: split into requests of at most 650 ids (the documented
//! limit of `getPresencesByUserId`), sent with bounded concurrency, merged in input order.
//!
//! Decisions, deliberate rather than accidental:
//! - **Empty ids** (empty or whitespace only) are rejected with [`Error::InvalidInput`] naming
//!   their position, before anything is sent: Graph would reject the whole chunk.
//! - **Duplicates** are sent once (ids compare ASCII case-insensitively, as GUIDs do), and every
//!   input position gets the result: the output always has one entry per input id.
//! - **Users Graph does not return** (unknown ids, or users without presence) get `None` at their
//!   position, so `ids.iter().zip(result)` pairs each id with its answer.
//! - **`@odata.nextLink`** pages are followed (only below the client's base URL), at most
//!   [`MAX_PAGES_PER_CHUNK`] per chunk, so a misbehaving server cannot loop forever.
//! - **Errors**: the first failing chunk fails the whole call; chunks not yet sent are not sent.

use crate::{Error, Result, beta, v1_0};
use futures_util::{StreamExt, TryStreamExt, stream};
use msgraph_presence_runtime::Request;
use std::collections::HashMap;
use std::future::Future;

/// Most ids one `getPresencesByUserId` request may carry (reference, Rulings §9).
pub const MAX_IDS_PER_REQUEST: usize = 650;

/// Requests in flight at once for one call. Graph allows 1,500 presence reads per 30 s per app
/// and tenant; four keeps a large call quick without eating that budget in a burst.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// Pages followed per chunk before the answer is treated as malformed.
pub const MAX_PAGES_PER_CHUNK: usize = 100;

/// The ids to send (first occurrence order) and, per input position, the index into them.
struct Plan {
    unique: Vec<String>,
    positions: Vec<usize>,
}

fn plan(ids: &[impl AsRef<str>]) -> Result<Plan> {
    let mut unique = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    let mut positions = Vec::with_capacity(ids.len());
    for (position, id) in ids.iter().enumerate() {
        let id = id.as_ref();
        if id.trim().is_empty() {
            return Err(Error::InvalidInput(format!(
                "ids[{position}] is empty; every user id must be a non-empty object id"
            )));
        }
        let index = *index_of.entry(id.to_ascii_lowercase()).or_insert_with(|| {
            unique.push(id.to_owned());
            unique.len() - 1
        });
        positions.push(index);
    }
    Ok(Plan { unique, positions })
}

/// Runs `fetch` over chunks of the unique ids and lays the results out per input position.
async fn gather<P, F, Fut>(
    ids: &[impl AsRef<str>],
    concurrency: usize,
    id_of: fn(&P) -> Option<&str>,
    fetch: F,
) -> Result<Vec<Option<P>>>
where
    P: Clone,
    F: Fn(Vec<String>) -> Fut,
    Fut: Future<Output = Result<Vec<P>>>,
{
    let plan = plan(ids)?;
    let pages: Vec<Vec<P>> = stream::iter(plan.unique.chunks(MAX_IDS_PER_REQUEST))
        .map(|chunk| fetch(chunk.to_vec()))
        .buffered(concurrency.max(1))
        .try_collect()
        .await?;
    let mut by_id: HashMap<String, P> = HashMap::new();
    for presence in pages.into_iter().flatten() {
        if let Some(id) = id_of(&presence) {
            by_id.insert(id.to_ascii_lowercase(), presence);
        }
    }
    let answers: Vec<Option<P>> = plan
        .unique
        .iter()
        .map(|id| by_id.remove(&id.to_ascii_lowercase()))
        .collect();
    Ok(plan
        .positions
        .into_iter()
        .map(|i| answers[i].clone())
        .collect())
}

macro_rules! presences_for_users {
    ($version:ident) => {
        impl $version::Client<'_> {
            /// The presence of every user in `ids`, one entry per input position (`None` for a
            /// user Graph did not return), in as many `getPresencesByUserId` requests of at most
            /// 650 ids as needed, [`DEFAULT_CONCURRENCY`] at a time. See the [module
            /// docs](crate::batch) for how duplicate and empty ids are handled.
            pub async fn get_presences_for_users(
                &self,
                ids: &[impl AsRef<str>],
            ) -> Result<Vec<Option<$version::models::Presence>>> {
                self.get_presences_for_users_with_concurrency(ids, DEFAULT_CONCURRENCY)
                    .await
            }

            /// [`Self::get_presences_for_users`] with at most `concurrency` requests in flight
            /// (at least one).
            pub async fn get_presences_for_users_with_concurrency(
                &self,
                ids: &[impl AsRef<str>],
                concurrency: usize,
            ) -> Result<Vec<Option<$version::models::Presence>>> {
                gather(
                    ids,
                    concurrency,
                    |p: &$version::models::Presence| p.id.as_deref(),
                    |chunk| self.presence_chunk(chunk),
                )
                .await
            }

            /// One chunk: the request, then every `@odata.nextLink` page.
            async fn presence_chunk(
                &self,
                ids: Vec<String>,
            ) -> Result<Vec<$version::models::Presence>> {
                let binding = &$version::operations::COMMUNICATIONS_GET_PRESENCES_BY_USER_ID;
                let body = $version::models::GetPresencesByUserIdRequest {
                    ids,
                    additional_properties: Default::default(),
                };
                let mut page = self
                    .communications()
                    .get_presences_by_user_id(&body)
                    .await?;
                let mut presences = page.value.take().unwrap_or_default();
                let mut pages = 1;
                while let Some(link) = page.odata_next_link.take() {
                    if pages == MAX_PAGES_PER_CHUNK {
                        return Err(Error::Decode {
                            operation: binding.operation.name,
                            field: "@odata.nextLink".into(),
                            message: format!(
                                "more than {MAX_PAGES_PER_CHUNK} pages for one request"
                            ),
                        });
                    }
                    let request = Request::next_page(binding.operation, binding, link);
                    page = self
                        .runtime()
                        .send_with_options(request, self.options())
                        .await?
                        .json()?;
                    presences.extend(page.value.take().unwrap_or_default());
                    pages += 1;
                }
                Ok(presences)
            }
        }
    };
}

presences_for_users!(v1_0);
presences_for_users!(beta);

#[cfg(test)]
mod tests {
    use super::plan;

    #[test]
    fn duplicates_share_one_slot_and_keep_positions() {
        let plan = plan(&["A", "b", "a", "c", "B"]).unwrap();
        assert_eq!(plan.unique, ["A", "b", "c"]);
        assert_eq!(plan.positions, [0, 1, 0, 2, 1]);
    }

    #[test]
    fn empty_ids_are_refused_with_their_position() {
        let err = plan(&["a", " ", "c"]).err().unwrap();
        assert!(err.to_string().contains("ids[1]"), "{err}");
    }
}
