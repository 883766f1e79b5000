//! Criterion micro-benchmarks (placeholder filled in by the benchmark work).
use criterion::{criterion_group, criterion_main, Criterion};

fn build(c: &mut Criterion) {
    c.bench_function("pipeline_build", |b| {
        b.iter(|| annotate::PipelineBuilder::new().build().unwrap())
    });
}

criterion_group!(benches, build);
criterion_main!(benches);
