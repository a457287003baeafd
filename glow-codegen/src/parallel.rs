//! Work spread over every core: one thread per core takes the items in turn, and the answers
//! come back in the items' order — all at once ([`map`]: the Python read-ahead, the chunked
//! manifest reader), or each as soon as it is its turn ([`stream`]: the chunked printer).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::Builder;

/// `work` applied to every item on as many threads as there are cores (no more than there are
/// items), each made by `thread`, while `meanwhile` runs on this one. An item whose thread could
/// not start, or stopped in a panic, has `None`.
pub(crate) fn map<T, R, M>(
    items: &[T],
    thread: impl Fn() -> Builder,
    work: impl Fn(&T) -> R + Sync,
    meanwhile: impl FnOnce() -> M,
) -> (Vec<Option<R>>, M)
where
    T: Sync,
    R: Send,
{
    let workers = workers(items.len());
    let next = AtomicUsize::new(0);
    let (done, other) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .filter_map(|_| {
                thread()
                    .spawn_scoped(scope, || {
                        let mut done = Vec::new();
                        loop {
                            let index = next.fetch_add(1, Ordering::Relaxed);
                            let Some(item) = items.get(index) else {
                                return done;
                            };
                            done.push((index, work(item)));
                        }
                    })
                    .ok()
            })
            .collect();
        let other = meanwhile();
        let done: Vec<(usize, R)> = handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap_or_default())
            .collect();
        (done, other)
    });
    let mut answers: Vec<Option<R>> = items.iter().map(|_| None).collect();
    for (index, answer) in done {
        if let Some(slot) = answers.get_mut(index) {
            *slot = Some(answer);
        }
    }
    (answers, other)
}

/// `work` applied to every item on one thread per core but this one, while `meanwhile` runs
/// here; then this thread works on items too, and each answer is given to `take` here, in the
/// items' order, as soon as it and every one before it are done, and then dropped — never
/// gathered into one collection (answers done while `meanwhile` runs, or ahead of a slow
/// `take`, wait their turn). An item whose thread could not start, or stopped in a panic, is
/// worked on here. The first error `take` returns stops the work (threads stop at their next
/// item) and is returned.
pub(crate) fn stream<T, R, M, E>(
    items: &[T],
    thread: impl Fn() -> Builder,
    work: impl Fn(&T) -> R + Sync,
    meanwhile: impl FnOnce() -> M,
    mut take: impl FnMut(R) -> Result<(), E>,
) -> Result<M, E>
where
    T: Sync,
    R: Send,
{
    // This thread works too, once `meanwhile` is done.
    let helpers = workers(items.len() + 1).saturating_sub(1);
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (done, answers) = std::sync::mpsc::channel::<(usize, R)>();
        let mut handles = Vec::with_capacity(helpers);
        for _ in 0..helpers {
            let done = done.clone();
            let (next, work) = (&next, &work);
            // A thread that cannot start leaves its items to the others, or to this one.
            let handle = thread().spawn_scoped(scope, move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(index) else {
                        return;
                    };
                    if done.send((index, work(item))).is_err() {
                        return;
                    }
                }
            });
            handles.extend(handle.ok());
        }
        drop(done);
        let other = meanwhile();
        let mut waiting: BTreeMap<usize, R> = BTreeMap::new();
        let mut wanted = 0;
        while wanted < items.len() {
            waiting.extend(answers.try_iter());
            let Some(answer) = waiting.remove(&wanted) else {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if let Some(item) = items.get(index) {
                    // An item no thread has taken is worked on here.
                    waiting.insert(index, work(item));
                } else if let Ok((index, answer)) = answers.recv() {
                    waiting.insert(index, answer);
                } else if let Some(item) = items.get(wanted) {
                    // Every thread has stopped without it: it is worked on here.
                    waiting.insert(wanted, work(item));
                }
                continue;
            };
            if let Err(error) = take(answer) {
                // Items not yet claimed are not worked on; threads stop at their next send
                // once the answers are dropped.
                next.store(items.len(), Ordering::Relaxed);
                drop(answers);
                join(handles);
                return Err(error);
            }
            wanted += 1;
        }
        join(handles);
        Ok(other)
    })
}

/// Waits for `handles`: a thread that stopped in a panic has had its item worked on elsewhere.
fn join(handles: Vec<std::thread::ScopedJoinHandle<'_, ()>>) {
    for handle in handles {
        let _ = handle.join();
    }
}

/// One thread per core, no more than there are items.
fn workers(items: usize) -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_come_back_in_order_with_the_other_work_done() {
        let items: Vec<u64> = (0..1_000).collect();
        let (answers, other) = map(&items, Builder::new, |n| n * 2, || "meanwhile");
        let doubled: Vec<Option<u64>> = items.iter().map(|n| Some(n * 2)).collect();
        assert_eq!(answers, doubled);
        assert_eq!(other, "meanwhile");
        let (none, ()) = map(&[] as &[u64], Builder::new, |n| *n, || ());
        assert!(none.is_empty());
    }

    #[test]
    fn streamed_answers_are_taken_in_order_and_an_error_stops_the_stream() {
        let items: Vec<u64> = (0..1_000).collect();
        let mut taken = Vec::new();
        let other = stream(
            &items,
            Builder::new,
            |n| n * 2,
            || "meanwhile",
            |n| {
                taken.push(n);
                Ok::<(), ()>(())
            },
        );
        assert_eq!(other, Ok("meanwhile"));
        assert_eq!(taken, items.iter().map(|n| n * 2).collect::<Vec<_>>());
        let mut seen = Vec::new();
        let stopped = stream(
            &items,
            Builder::new,
            |n| *n,
            || (),
            |n| {
                seen.push(n);
                if n == 10 {
                    Err(format!("stop at {n}"))
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(stopped, Err("stop at 10".to_owned()));
        assert_eq!(seen, (0..=10).collect::<Vec<u64>>());
    }

    #[test]
    fn a_streamed_item_whose_thread_panicked_is_worked_on_here() {
        let items: Vec<u64> = (0..64).collect();
        let panicked = std::sync::atomic::AtomicBool::new(false);
        let on_worker = |n: &u64| {
            let here = std::thread::current().name() == Some("worker");
            if here && *n == 7 {
                panicked.store(true, Ordering::SeqCst);
                panic!("item 7 fails on a worker");
            }
            n + 1
        };
        // This thread waits until a worker has failed on item 7 (when there is a worker: one
        // core has none), so that it cannot take item 7 itself and pass without the failure.
        let has_workers = workers(items.len() + 1) > 1;
        let wait_for_the_failure = || {
            let started = std::time::Instant::now();
            while has_workers
                && !panicked.load(Ordering::SeqCst)
                && started.elapsed() < std::time::Duration::from_secs(30)
            {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        };
        let mut taken = Vec::new();
        let result = stream(
            &items,
            || Builder::new().name("worker".to_owned()),
            on_worker,
            wait_for_the_failure,
            |n| {
                taken.push(n);
                Ok::<(), ()>(())
            },
        );
        assert_eq!(result, Ok(()));
        assert_eq!(taken, (1..=64).collect::<Vec<u64>>());
        assert_eq!(panicked.load(Ordering::SeqCst), has_workers);
    }
}
