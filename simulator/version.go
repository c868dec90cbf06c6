package simulator

import (
	"strconv"
	"strings"
)

// coreVersion holds the framework behaviours (Core/, Auth/, Validators/) that changed between
// REST API versions. Each names the first release that has it, found by comparing the
// package's tags (git tag --contains of the commit that introduced it).
type coreVersion struct {
	// dryRun: the dry_run control parameter and `Prefer: dry-run` (Core/Endpoint.inc
	// validate_dry_run; v2.8.0).
	dryRun bool
	// basicNeedsBoth: BasicAuth is tried only when both a user and a password are given
	// (Auth/BasicAuth.inc is_requested; v2.10.0, commit f10a9160; before: either).
	basicNeedsBoth bool
	// headerRequestsAuth: KeyAuth and JWTAuth are tried whenever their header is present, valid
	// or not (Auth/KeyAuth.inc, Auth/JWTAuth.inc is_requested; v2.10.0, commit 04d9f828;
	// before: only a valid key or token counts as given).
	headerRequestsAuth bool
	// filterNameChars: FilterNameValidator refuses characters outside A-Za-z0-9_
	// (Validators/FilterNameValidator.inc; v2.10.0, commit 06d46d9d).
	filterNameChars bool
	// deleteByIDOnly: a singular DELETE reads only id and parent_id from the request
	// (Core/Endpoint.inc delete; v2.10.0).
	deleteByIDOnly bool
	// caDeleteChecksCAUse: deleting a CA asks ca_in_use() and answers 409; before, it asked
	// cert_in_use() and answered 403 (Models/CertificateAuthority.inc _delete; v2.7.4, commits
	// 8fa83dc2 and 07bdfa10).
	caDeleteChecksCAUse bool
}

func coreFor(version string) coreVersion {
	return coreVersion{
		dryRun:              versionAtLeast(version, 2, 8, 0),
		basicNeedsBoth:      versionAtLeast(version, 2, 10, 0),
		headerRequestsAuth:  versionAtLeast(version, 2, 10, 0),
		filterNameChars:     versionAtLeast(version, 2, 10, 0),
		deleteByIDOnly:      versionAtLeast(version, 2, 10, 0),
		caDeleteChecksCAUse: versionAtLeast(version, 2, 7, 4),
	}
}

// versionAtLeast compares a REST API version (v2.7.1) with major.minor.patch; an unreadable
// version counts as the oldest.
func versionAtLeast(v string, major, minor, patch int) bool {
	parts := strings.Split(strings.TrimPrefix(v, "v"), ".")
	want := []int{major, minor, patch}
	for i := 0; i < 3; i++ {
		n := 0
		if i < len(parts) {
			var err error
			if n, err = strconv.Atoi(strings.TrimFunc(parts[i], func(r rune) bool { return r < '0' || r > '9' })); err != nil {
				return false
			}
		}
		if n != want[i] {
			return n > want[i]
		}
	}
	return true
}
