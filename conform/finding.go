package conform

import (
	"encoding/json"

	"github.com/httpstatus/httpstatus"
)

// A Finding is one rule a response breaks, or one fact about it worth a
// reviewer's attention.
type Finding struct {
	ID          string               // the rule's stable id, such as "required-header"
	Severity    Severity             // how serious the finding is
	Code        int                  // the status code of the response the finding is about
	Summary     string               // one line naming the code and, where there is one, the field
	Explanation string               // why it matters and what to do, in a few sentences
	Ref         httpstatus.Reference // the document and section that state the requirement
}

// String returns the level, the id and the summary on one line.
func (f Finding) String() string {
	return f.Severity.String() + " " + f.ID + ": " + f.Summary
}

// findingJSON is the JSON shape of a Finding.
type findingJSON struct {
	ID          string   `json:"id"`
	Severity    Severity `json:"severity"`
	Code        int      `json:"code"`
	Summary     string   `json:"summary"`
	Explanation string   `json:"explanation"`
	Reference   string   `json:"reference"`
	URL         string   `json:"url,omitempty"`
}

// MarshalJSON encodes the finding as an object with the members id, severity,
// code, summary, explanation, reference (as "RFC 9110, section 15.5.6")
// and url.
func (f Finding) MarshalJSON() ([]byte, error) {
	return json.Marshal(findingJSON{
		ID: f.ID, Severity: f.Severity, Code: f.Code, Summary: f.Summary,
		Explanation: f.Explanation, Reference: f.Ref.String(), URL: f.Ref.URL,
	})
}

// Worst returns the highest level among findings, or 0 when there are none.
func Worst(findings []Finding) Severity {
	var worst Severity
	for _, f := range findings {
		worst = max(worst, f.Severity)
	}
	return worst
}
