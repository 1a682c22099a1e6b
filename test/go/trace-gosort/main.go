// trace-gosort sorts lists of integer keys with slices.SortFunc (Go's unstable pdqsort) and
// prints the original positions in sorted order. The trace reader sorts CPU samples and its
// frontier of threads this way, and equal keys come out in an order only this algorithm
// gives; the test checks our reimplementation against it.
//
// Input: one list per line, "k1 k2 k3 ...". Output: one line per list, "i1 i2 i3 ...".
package main

import (
	"bufio"
	"cmp"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	type item struct{ key, pos int }
	for in.Scan() {
		fields := strings.Fields(in.Text())
		items := make([]item, len(fields))
		for i, f := range fields {
			k, err := strconv.Atoi(f)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			items[i] = item{k, i}
		}
		slices.SortFunc(items, func(a, b item) int { return cmp.Compare(a.key, b.key) })
		for i, it := range items {
			if i > 0 {
				out.WriteByte(' ')
			}
			out.WriteString(strconv.Itoa(it.pos))
		}
		out.WriteByte('\n')
	}
}
