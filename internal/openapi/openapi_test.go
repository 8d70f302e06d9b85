package openapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/internal/openapi"
	"github.com/httpstatus/httpstatus/server"
)

type obj = map[string]any

// description is what serve describes, less the routes serve adds of its
// own, which internal/cli's tests check.
func description() openapi.Description {
	return openapi.Description{
		Status:   server.New().Routes(),
		Controls: server.Controls(),
		Routes: []openapi.Route{
			{Pattern: "GET /{$}", Summary: "the index"},
			{Pattern: "GET /codes/{code}", Summary: "a page"},
			{Pattern: "/healthz", Method: http.MethodGet, Summary: "health"},
		},
	}
}

func parse(t *testing.T, body []byte) obj {
	t.Helper()
	var doc obj
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("the document does not parse: %v", err)
	}
	return doc
}

// at follows a path of keys from v.
func at(v any, keys ...string) any {
	for _, k := range keys {
		m, _ := v.(obj)
		v = m[k]
	}
	return v
}

// deref returns what v refers to when it is a reference into doc.
func deref(doc obj, v any) any {
	r, ok := at(v, "$ref").(string)
	if !ok {
		return v
	}
	return at(doc, strings.Split(strings.TrimPrefix(r, "#/"), "/")...)
}

var operations = []string{"get", "head", "post", "put", "patch", "delete", "options", "trace"}

func TestDocumentIsOpenAPI31(t *testing.T) {
	t.Parallel()
	doc := parse(t, openapi.Document(description()))
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.1.") {
		t.Errorf("openapi is %q, want 3.1.x", v)
	}
	for _, k := range []string{"title", "version"} {
		if s, _ := at(doc, "info", k).(string); s == "" {
			t.Errorf("info has no %s", k)
		}
	}
	refs := regexp.MustCompile(`"\$ref": "([^"]*)"`)
	for _, m := range refs.FindAllStringSubmatch(string(openapi.Document(description())), -1) {
		if !strings.HasPrefix(m[1], "#/components/") || deref(doc, obj{"$ref": m[1]}) == nil {
			t.Errorf("reference %s does not resolve", m[1])
		}
	}
	ids := map[string]string{}
	template := regexp.MustCompile(`\{([^}]*)\}`)
	for path, v := range at(doc, "paths").(obj) {
		item := v.(obj)
		declared := map[string]bool{}
		params, _ := item["parameters"].([]any)
		for _, p := range params {
			if p := deref(doc, p); at(p, "in") == "path" {
				declared[at(p, "name").(string)] = true
			}
		}
		for _, m := range template.FindAllStringSubmatch(path, -1) {
			if !declared[m[1]] {
				t.Errorf("%s: path parameter %s is not declared", path, m[1])
			}
		}
		for _, method := range operations {
			op, ok := item[method].(obj)
			if !ok {
				continue
			}
			id, _ := op["operationId"].(string)
			if other, dup := ids[id]; dup || id == "" {
				t.Errorf("%s %s: operationId %q is empty or also %s's", method, path, id, other)
			}
			ids[id] = method + " " + path
			if len(at(op, "responses").(obj)) == 0 {
				t.Errorf("%s %s has no responses", method, path)
			}
		}
	}
}

func TestHandler(t *testing.T) {
	t.Parallel()
	h := openapi.Handler(description())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/openapi.json", nil))
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != openapi.MediaType {
		t.Fatalf("status %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if rec.Body.String() != string(openapi.Document(description())) {
		t.Error("the handler serves another document than Document builds")
	}
	etag := rec.Header().Get("ETag")
	req := httptest.NewRequest("GET", "/openapi.json", nil)
	req.Header.Set("If-None-Match", etag)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if etag == "" || rec.Code != http.StatusNotModified {
		t.Errorf("ETag %q, then status %d, want 304", etag, rec.Code)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/openapi.json", nil))
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: status %d, Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
}

// codeRoutes are the status routes that answer codes: those with a
// wildcard.
// codeRoutes returns the status routes that answer the codes the
// request names.
func codeRoutes() []string {
	var paths []string
	for _, r := range server.New().Routes() {
		if strings.Contains(r.Pattern, "{") && r.Answers == nil {
			paths = append(paths, r.Pattern)
		}
	}
	return paths
}

// statusOperations returns the operations of each status route, by path.
func statusOperations() map[string][]string {
	out := map[string][]string{}
	for _, r := range server.New().Routes() {
		if r.Pattern == "/" {
			continue
		}
		if r.Methods == nil {
			out[r.Pattern] = operations
			continue
		}
		for _, m := range r.Methods {
			out[r.Pattern] = append(out[r.Pattern], strings.ToLower(m))
		}
	}
	return out
}

// parameters returns the parameters of an operation, its path's and its
// own, by "in" and name.
func parameters(doc obj, path, method string) map[string]obj {
	out := map[string]obj{}
	own, _ := at(doc, "paths", path, method, "parameters").([]any)
	shared, _ := at(doc, "paths", path, "parameters").([]any)
	for _, p := range append(shared, own...) {
		p := deref(doc, p).(obj)
		out[p["in"].(string)+" "+p["name"].(string)] = p
	}
	return out
}

func TestEveryRouteIsDescribed(t *testing.T) {
	t.Parallel()
	doc := parse(t, openapi.Document(description()))
	for path, ops := range statusOperations() {
		for _, method := range ops {
			if at(doc, "paths", path, method) == nil {
				t.Errorf("%s %s is not described", method, path)
			}
		}
	}
	if at(doc, "paths", "/sessions/{key}", "post") != nil {
		t.Error("POST /sessions/{key} is described, but the route answers GET, HEAD, DELETE and OPTIONS only")
	}
	for path, method := range map[string]string{"/": "get", "/codes/{code}": "get", "/healthz": "get"} {
		if at(doc, "paths", path, method) == nil {
			t.Errorf("%s %s is not described", method, path)
		}
	}
	if s := at(doc, "paths", "/", "get", "summary"); s != "The index." {
		t.Errorf("GET / is %q, want the web route's, which ServeMux prefers to the status server's /", s)
	}
	if at(doc, "paths", "/", "post") == nil || at(doc, "paths", "/healthz", "post") != nil {
		t.Error("POST / should be the status server's fallback, and /healthz should answer GET only")
	}
}

func TestEveryControlIsAParameter(t *testing.T) {
	t.Parallel()
	doc := parse(t, openapi.Document(description()))
	for path, ops := range statusOperations() {
		for _, method := range ops {
			params := parameters(doc, path, method)
			for _, c := range server.Controls() {
				if !c.Takes(path) {
					for _, q := range c.Query {
						if params["query "+q] != nil {
							t.Errorf("%s %s: lists the query parameter %s, which the route refuses", method, path, q)
						}
					}
					continue
				}
				for _, q := range c.Query {
					if p := params["query "+q]; p == nil || !strings.Contains(p["description"].(string), c.Value) {
						t.Errorf("%s %s: query parameter %s is missing or does not say what it takes", method, path, q)
					}
				}
				for _, h := range c.Headers {
					if p := params["header "+h]; p == nil || !strings.Contains(p["description"].(string), c.Value) {
						t.Errorf("%s %s: header parameter %s is missing or does not say what it takes", method, path, h)
					}
				}
				for _, q := range c.Query[1:] {
					if p := params["query "+q]; p != nil && !strings.Contains(p["description"].(string), "spelling of "+c.Query[0]) {
						t.Errorf("query parameter %s does not say it is another spelling of %s", q, c.Query[0])
					}
				}
			}
		}
	}
}

// checkCodeResponses returns every way the responses of the code routes
// in doc disagree with the registry: for each code from 100 to 599, the
// response that describes it must list the header fields the registry's
// rules for the code require, recommend or allow (required when it says
// MUST, always), name the fields they forbid or discourage, and carry
// content unless the registry says the code has none.
func checkCodeResponses(doc obj) []error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	for _, path := range codeRoutes() {
		for _, method := range operations {
			responses, _ := at(doc, "paths", path, method, "responses").(obj)
			for code := 100; code <= 599; code++ {
				class := strings.ToUpper(httpstatus.ClassOf(code).String())
				own := responses[strconv.Itoa(code)]
				if own == nil && responses[class] == nil {
					fail("%s %s: no response covers %d", method, path, code)
					continue
				}
				e, known := httpstatus.Lookup(code)
				if !known {
					if own != nil {
						fail("%s %s: a response of its own for %d, which the registry does not know", method, path, code)
					}
					continue
				}
				if own == nil {
					if len(e.Headers) > 0 || e.Content == httpstatus.ContentNone {
						fail("%s %s: %d has header rules or no content, but only the %s response", method, path, code, class)
					}
					continue
				}
				r := deref(doc, own).(obj)
				desc, _ := r["description"].(string)
				headers, _ := r["headers"].(obj)
				want := map[string]bool{}
				for _, h := range e.Headers {
					if h.Level == httpstatus.LevelMustNot || h.Level == httpstatus.LevelShouldNot {
						if !strings.Contains(desc, h.Level.String()+" "+h.Field) {
							fail("%d: the response does not say %s %s", code, h.Level, h.Field)
						}
						continue
					}
					want[h.Field] = true
					got, ok := headers[h.Field].(obj)
					if !ok {
						fail("%d: the response lacks the header field %s (%s)", code, h.Field, h.Level)
						continue
					}
					required := false
					for _, other := range e.Headers {
						if other.Field == h.Field && other.Level == httpstatus.LevelMust && other.Applies == httpstatus.AppliesAlways {
							required = true
						}
					}
					if got["required"] != required {
						fail("%d: %s required is %v, want %v (%s, %s)", code, h.Field, got["required"], required, h.Level, h.Applies)
					}
					if d, _ := got["description"].(string); !strings.Contains(d, h.Level.String()+" "+h.Field) || !strings.Contains(d, h.Ref.String()) {
						fail("%d: %s is described %q, not as the registry's %s rule (%s)", code, h.Field, d, h.Level, h.Ref)
					}
				}
				for field := range headers {
					if !want[field] {
						fail("%d: the response lists %s, for which the registry has no rule that allows it", code, field)
					}
				}
				if hasContent := r["content"] != nil; hasContent != (e.Content != httpstatus.ContentNone) {
					fail("%d: content %v, but the registry says %s", code, hasContent, e.Content)
				}
			}
		}
	}
	return errs
}

func TestCodeResponsesAgreeWithRegistry(t *testing.T) {
	t.Parallel()
	doc := parse(t, openapi.Document(description()))
	for _, err := range checkCodeResponses(doc) {
		t.Error(err)
	}

	// The check sees a fact the document gets wrong.
	responses := at(doc, "components", "responses").(obj)
	delete(responses["503"].(obj)["headers"].(obj), "Retry-After")
	responses["304"].(obj)["headers"].(obj)["Retry-After"] = obj{"required": false}
	responses["405"].(obj)["headers"].(obj)["Allow"].(obj)["required"] = false
	errs := checkCodeResponses(doc)
	for _, want := range []string{"503: the response lacks the header field Retry-After", "304: the response lists Retry-After", "405: Allow required is false"} {
		found := false
		for _, err := range errs {
			found = found || strings.Contains(err.Error(), want)
		}
		if !found {
			t.Errorf("the check misses %q in a doctored document; it says %v", want, errs)
		}
	}
}
