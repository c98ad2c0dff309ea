package runner

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
)

// Verify is what dtexec's /VerifyB[uild], /VerifyP[ackageID] and
// /VerifyV[ersionID] require of the package ("dtexec Utility": the build
// numbers, the package GUID or the version GUID must match, else the
// package does not execute). It is checked once the package is loaded,
// before configurations, overrides or validation, so that a mismatch runs
// nothing, under /Validate too. The zero Verify requires nothing.
type Verify struct {
	// Build is major[, minor[, build]]: the package's VersionMajor,
	// VersionMinor and VersionBuild, as many as are given, must be these.
	Build []int64
	// PackageID is the DTSID the package must have; VersionID its
	// VersionGUID. GUIDs compare without braces, in any letter case.
	PackageID, VersionID string
}

// VerifyError reports a package that is not the one the command line
// requires. Its exit code is ExitNotLoad: the package is not loaded.
type VerifyError struct {
	Option  string // the dtexec option: /VerifyBuild, /VerifyPackageID, /VerifyVersionID
	Package string // the package's name
	What    string // what is compared: "VersionMajor;VersionMinor;VersionBuild", "DTSID", "VersionGUID"
	Want    string // as required
	Got     string // as the package has it
}

// Error says what was required and what the package has.
func (e *VerifyError) Error() string {
	return fmt.Sprintf("%s: package %q has %s %s, not %s as required; the package is not loaded",
		e.Option, e.Package, e.What, e.Got, e.Want)
}

// versionParts are the package properties /VerifyBuild compares, in order.
var versionParts = []string{"VersionMajor", "VersionMinor", "VersionBuild"}

// check returns a *VerifyError for the first requirement pkg does not meet.
func (v Verify) check(pkg *dtsx.Package) error {
	if len(v.Build) > 0 {
		var got, want []string
		match := len(v.Build) <= len(versionParts)
		for i, prop := range versionParts {
			s, _ := pkg.Property(prop)
			s = strings.TrimSpace(s)
			if s == "" {
				s = "0" // SSIS's default, not persisted
			}
			got = append(got, s)
			if i < len(v.Build) {
				want = append(want, strconv.FormatInt(v.Build[i], 10))
				if n, err := strconv.ParseInt(s, 10, 64); err != nil || n != v.Build[i] {
					match = false
				}
			}
		}
		if !match {
			return &VerifyError{Option: "/VerifyBuild", Package: pkg.Name, What: strings.Join(versionParts, ";"),
				Got: strings.Join(got, ";"), Want: strings.Join(want, ";")}
		}
	}
	for _, c := range []struct{ opt, prop, want string }{
		{"/VerifyPackageID", "DTSID", v.PackageID},
		{"/VerifyVersionID", "VersionGUID", v.VersionID},
	} {
		if c.want == "" {
			continue
		}
		got, _ := pkg.Property(c.prop)
		if !sameGUID(got, c.want) {
			if strings.TrimSpace(got) == "" {
				got = "none"
			}
			return &VerifyError{Option: c.opt, Package: pkg.Name, What: c.prop, Got: got, Want: c.want}
		}
	}
	return nil
}

// sameGUID compares two GUIDs as SSIS does: braces and letter case do not
// matter.
func sameGUID(a, b string) bool {
	norm := func(s string) string { return strings.ToUpper(strings.Trim(strings.TrimSpace(s), "{}")) }
	return norm(a) != "" && norm(a) == norm(b)
}
