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
