//! Ordered parallel map with bounded memory: the run loop's engine.
//!
//! Workers pull items from one shared iterator, so reading (or the JSONL
//! feeder) and annotation overlap; results are handed to the sink in input
//! order as soon as the next one is ready. At most `window` items are in
//! flight (taken and not yet written), so memory does not grow with the
//! input whatever the thread count, and the output is the same bytes for
//! any number of threads.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::{mpsc, Condvar, Mutex};

/// Maps `f` over `items` on `threads` threads and feeds the results to
/// `sink` in input order. Each worker first makes its own state with
/// `init` (a clone of the pipeline: a `Regex` shared by threads makes them
/// queue for its scratch space, regex issue #934) and passes it to `f`.
/// `sink` may stop the run early by returning `ControlFlow::Break` (a
/// closed pipe); the workers then stop taking items.
///
/// # Panics
/// If `threads` or `window` is 0, or if `f` panics: the workers then stop
/// taking items and the panic is resumed on the calling thread.
pub fn map_ordered<I, T, R, W, N, F, S>(
    items: I,
    threads: usize,
    window: usize,
    init: N,
    f: F,
    mut sink: S,
) where
    I: Iterator<Item = T> + Send,
    T: Send,
    R: Send,
    N: Fn() -> W + Sync,
    F: Fn(&mut W, T) -> R + Sync,
    S: FnMut(R) -> ControlFlow<()>,
{
    assert!(threads > 0 && window > 0);
    struct Shared<I> {
        items: I,
        next_seq: usize,
        in_flight: usize,
        stop: bool,
    }
    let shared = Mutex::new(Shared { items, next_seq: 0, in_flight: 0, stop: false });
    let slot_free = Condvar::new();
    let panicked: Mutex<Option<Box<dyn std::any::Any + Send>>> = Mutex::new(None);
    let (tx, rx) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (shared, slot_free, f, init, panicked) =
                (&shared, &slot_free, &f, &init, &panicked);
            scope.spawn(move || {
                let mut state = init();
                loop {
                    let (seq, item) = {
                        let mut s = shared.lock().expect("worker lock");
                        while s.in_flight >= window && !s.stop {
                            s = slot_free.wait(s).expect("worker wait");
                        }
                        if s.stop {
                            return;
                        }
                        let Some(item) = s.items.next() else { return };
                        s.in_flight += 1;
                        s.next_seq += 1;
                        (s.next_seq - 1, item)
                    };
                    // A panicking item must not leave its slot empty
                    // forever (the writer would wait for it): stop the run
                    // and resume the panic after the scope.
                    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        f(&mut state, item)
                    }));
                    match r {
                        Ok(r) => {
                            if tx.send((seq, r)).is_err() {
                                return;
                            }
                        }
                        Err(payload) => {
                            shared.lock().unwrap_or_else(|p| p.into_inner()).stop = true;
                            slot_free.notify_all();
                            *panicked.lock().unwrap_or_else(|p| p.into_inner()) = Some(payload);
                            return;
                        }
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, R> = BTreeMap::new();
        let mut expected = 0;
        let mut stopped = false;
        for (seq, r) in rx {
            if stopped {
                continue;
            }
            pending.insert(seq, r);
            while let Some(r) = pending.remove(&expected) {
                expected += 1;
                let flow = sink(r);
                let mut s = shared.lock().expect("sink lock");
                s.in_flight -= 1;
                if flow.is_break() {
                    s.stop = true;
                    stopped = true;
                    pending.clear();
                }
                drop(s);
                slot_free.notify_all();
                if stopped {
                    break;
                }
            }
        }
    });
    if let Some(payload) = panicked.into_inner().unwrap_or_else(|p| p.into_inner()) {
        std::panic::resume_unwind(payload);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_kept_for_any_thread_count_and_window() {
        for threads in [1, 2, 4] {
            for window in [1, 3, 64] {
                let mut got = Vec::new();
                map_ordered(
                    0..200u64,
                    threads,
                    window,
                    || (),
                    |_, x| {
                        // Uneven work so results arrive out of order.
                        std::thread::sleep(std::time::Duration::from_micros((x * 7919) % 300));
                        x * 2
                    },
                    |r| {
                        got.push(r);
                        ControlFlow::Continue(())
                    },
                );
                assert_eq!(got, (0..200).map(|x| x * 2).collect::<Vec<_>>(), "{threads} {window}");
            }
        }
    }

    #[test]
    fn sink_can_stop_the_run() {
        let taken = std::sync::atomic::AtomicUsize::new(0);
        let mut got = 0;
        map_ordered(
            0..10_000u32,
            2,
            8,
            || (),
            |_, x| {
                taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                x
            },
            |_| {
                got += 1;
                if got == 5 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert_eq!(got, 5);
        assert!(taken.load(std::sync::atomic::Ordering::Relaxed) < 100, "workers stopped early");
    }

    #[test]
    fn a_panicking_item_ends_the_run_instead_of_hanging_it() {
        let r = std::panic::catch_unwind(|| {
            map_ordered(
                0..1000u32,
                2,
                4,
                || (),
                |_, x| {
                    assert!(x != 10, "boom");
                    x
                },
                |_| ControlFlow::Continue(()),
            )
        });
        assert!(r.is_err(), "the panic is resumed");
    }

    #[test]
    fn in_flight_stays_within_the_window() {
        let live = std::sync::atomic::AtomicUsize::new(0);
        let max = std::sync::atomic::AtomicUsize::new(0);
        map_ordered(
            0..500u32,
            4,
            6,
            || (),
            |_, x| {
                let n = live.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                max.fetch_max(n, std::sync::atomic::Ordering::SeqCst);
                x
            },
            |_| {
                live.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                ControlFlow::Continue(())
            },
        );
        assert!(max.load(std::sync::atomic::Ordering::SeqCst) <= 6);
    }
}
