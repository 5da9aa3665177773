package sqldb

import "testing"

// BenchmarkCreateCase measures one registration through the store, for
// profiling (`go test -run - -bench CreateCase -cpuprofile`); the figures
// that count come from make bench.
func BenchmarkCreateCase(b *testing.B) {
	f := newFixture(b)
	n := sampleCase()
	ctx := f.as("staff.bj")
	b.ResetTimer()
	for range b.N {
		if _, err := f.cases.CreateCase(ctx, n); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreateCaseConcurrent measures registrations from 16 callers at
// once, so that they share batches (group commit): the store's CPU a
// registration where it counts, at concurrency (`-cpuprofile` for where).
func BenchmarkCreateCaseConcurrent(b *testing.B) {
	f := newFixture(b)
	n := sampleCase()
	ctx := f.as("staff.bj")
	b.SetParallelism(8) // 16 callers on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := f.cases.CreateCase(ctx, n); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
