// Command goclient makes one request with net/http's default client, as a
// program that uses it would, for "httpstatus grade" to judge:
//
//	goclient METHOD URL BODY-FILE
//
// The client follows redirects by its default policy and sends the
// credentials of the URL's userinfo as Basic authorization; the content
// of BODY-FILE, when not empty, is the request's content. It exits 1 when
// the request gets no response, with the error on standard error.
package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: goclient METHOD URL BODY-FILE")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, "goclient:", err)
		os.Exit(1)
	}
}

func run(method, url, bodyFile string) error {
	content, err := os.ReadFile(bodyFile)
	if err != nil {
		return err
	}
	var body io.Reader
	if len(content) > 0 {
		body = bytes.NewReader(content) // NewRequest sets GetBody, so a 307 or 308 can be followed
	}
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return err
}
