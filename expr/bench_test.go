package expr

import "testing"

// BenchmarkEval evaluates the Send Mail subject sample of the docs
// (reference A.10): concatenation, casts, a DT_DATE formatted as a string
// and DATEDIFF against GETDATE.
func BenchmarkEval(b *testing.B) {
	e, err := Parse(sendMailSubject)
	if err != nil {
		b.Fatal(err)
	}
	env := testEnv()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Eval(env); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse parses the same expression.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(sendMailSubject); err != nil {
			b.Fatal(err)
		}
	}
}
