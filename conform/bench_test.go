package conform

import (
	"strings"
	"testing"
)

// BenchmarkCheckRaw checks a small, conforming 404 as curl prints it.
func BenchmarkCheckRaw(b *testing.B) {
	raw := "HTTP/1.1 404 Not Found\r\nDate: Mon, 02 Jan 2006 15:04:05 GMT\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nnot found"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CheckRaw(strings.NewReader(raw), nil); err != nil {
			b.Fatal(err)
		}
	}
}
