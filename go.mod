module github.com/httpstatus/httpstatus

go 1.26
