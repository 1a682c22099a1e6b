// heap-alloc allocates in a few known functions, keeps part of it live, and writes heap and
// allocs profiles. The allocation sites include small functions the compiler inlines, so the
// profiles have Locations with several Lines.
//
//	heap-alloc -heap heap.pb.gz -allocs allocs.pb.gz [-rounds 2000]
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
)

type node struct {
	id    int
	name  string
	next  *node
	bytes []byte
}

var (
	live []*node  // kept until the heap profile is written: in-use memory
	sink [][]byte // overwritten as we go: allocated but mostly freed
)

// newNode is small enough to inline into buildList.
func newNode(id int, next *node) *node {
	return &node{id: id, name: "n" + strconv.Itoa(id), next: next}
}

//go:noinline
func buildList(n int) *node {
	var head *node
	for i := 0; i < n; i++ {
		head = newNode(i, head)
	}
	return head
}

// makeBuffer inlines into churn; the allocation is attributed to both.
func makeBuffer(size int) []byte {
	return make([]byte, size)
}

//go:noinline
func churn(round int) {
	sink = append(sink, makeBuffer(1024+round%7*512))
	if len(sink) > 32 {
		sink = sink[:0]
	}
}

//go:noinline
func attachPayload(n *node, size int) {
	for ; n != nil; n = n.next {
		n.bytes = make([]byte, size)
	}
}

// left and right allocate at the end of a chain chosen by the bits of path, so `depth` levels give
// 2^depth distinct allocation stacks (for tests that need a profile with many samples).
//
//go:noinline
func left(path, depth int) {
	if depth == 0 {
		sink = append(sink, make([]byte, 64+path%64))
		return
	}
	if path&1 == 0 {
		left(path>>1, depth-1)
	} else {
		right(path>>1, depth-1)
	}
}

//go:noinline
func right(path, depth int) {
	if depth == 0 {
		sink = append(sink, make([]byte, 128+path%64))
		return
	}
	if path&1 == 0 {
		left(path>>1, depth-1)
	} else {
		right(path>>1, depth-1)
	}
}

func write(name, path string) {
	if path == "" {
		return
	}
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.Lookup(name).WriteTo(f, 0); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

func main() {
	heap := flag.String("heap", "", "write the heap profile to this file")
	allocs := flag.String("allocs", "", "write the allocs profile to this file")
	rounds := flag.Int("rounds", 2000, "allocation rounds")
	rate := flag.Int("rate", 4096, "runtime.MemProfileRate: sample one allocation per this many bytes")
	branches := flag.Int("branches", 0, "also allocate from 2^branches distinct stacks (left/right chains)")
	flag.Parse()
	// Set before the first allocation; a low rate gives a few dozen samples from small rounds.
	runtime.MemProfileRate = *rate

	for r := 0; r < *rounds; r++ {
		if r%100 == 0 {
			list := buildList(50)
			attachPayload(list, 256)
			live = append(live, list)
		}
		churn(r)
		if *branches > 0 {
			left(r, *branches)
			if len(sink) > 32 {
				sink = sink[:0]
			}
		}
	}
	// The heap profile reports the state as of the last completed GC.
	runtime.GC()
	write("heap", *heap)
	write("allocs", *allocs)
	fmt.Println(len(live), len(sink))
}
