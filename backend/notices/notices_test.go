package notices

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const regenerate = "run `make notices` and commit backend/notices/"

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func load(t *testing.T) Index {
	t.Helper()
	ix, err := Load()
	if err != nil {
		t.Fatalf("notices.json: %v", err)
	}
	if len(ix.Components) == 0 {
		t.Fatalf("notices.json lists no components: %s", regenerate)
	}
	return ix
}

// The notices were generated from the go.mod, go.sum and package-lock.json
// in the tree: changing a dependency without regenerating them fails here.
func TestNoticesAreCurrent(t *testing.T) {
	root := repoRoot(t)
	ix := load(t)
	var paths []string
	for _, in := range ix.Inputs {
		paths = append(paths, in.Path)
		sum, err := FileSHA256(filepath.Join(root, in.Path))
		if err != nil {
			t.Fatal(err)
		}
		if sum != in.SHA256 {
			t.Errorf("%s changed since the notices were generated: %s", in.Path, regenerate)
		}
		if !strings.Contains(Text, "sha256:"+in.SHA256) {
			t.Errorf("THIRD_PARTY_NOTICES.txt does not carry the hash of %s that notices.json has: %s", in.Path, regenerate)
		}
	}
	if !slices.Equal(paths, Inputs) {
		t.Errorf("the notices were generated from %v, want %v: %s", paths, Inputs, regenerate)
	}
}

// Every module compiled into a release build is listed, at the version
// compiled in, and nothing else is (a new import of a module that go.mod
// already required changes no hash, but changes this list).
func TestEveryCompiledGoModuleIsListed(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	ix := load(t)
	listed := map[string]Component{}
	for _, c := range ix.Components {
		if c.Kind == "go" {
			listed[c.Name] = c
		}
	}
	compiled := map[string]bool{}
	old, _ := os.Getwd()
	if err := os.Chdir(repoRoot(t)); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(old)
	for _, target := range Targets {
		pkgs, err := ListDeps(target)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, p := range pkgs {
			compiled[p.Module] = true
			if seen[p.Module] {
				continue
			}
			seen[p.Module] = true
			c, ok := listed[p.Module]
			switch {
			case !ok:
				t.Errorf("%s %s is compiled into the %s build but not in the notices: %s", p.Module, p.ModuleVersion, target.GOOS, regenerate)
			case c.Version != p.ModuleVersion:
				t.Errorf("%s: the notices say %s, the %s build compiles %s: %s", p.Module, c.Version, target.GOOS, p.ModuleVersion, regenerate)
			case !slices.Contains(c.Targets, target.GOOS):
				t.Errorf("%s is compiled into the %s build but the notices say only %v: %s", p.Module, target.GOOS, c.Targets, regenerate)
			}
		}
	}
	for name := range listed {
		if !compiled[name] {
			t.Errorf("%s is in the notices but no release build compiles it: %s", name, regenerate)
		}
	}
}

// The npm packages listed are the ones package-lock.json pins.
func TestNPMPackagesMatchTheLockFile(t *testing.T) {
	ix := load(t)
	lock, err := LockVersions(filepath.Join(repoRoot(t), "frontend/package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range ix.Components {
		if c.Kind != "npm" {
			continue
		}
		n++
		if v, ok := lock[c.Name]; !ok || v != c.Version {
			t.Errorf("%s %s: package-lock.json has %q: %s", c.Name, c.Version, v, regenerate)
		}
	}
	for _, must := range []string{"vue", "vue-router", "vue-i18n"} {
		if !slices.ContainsFunc(ix.Components, func(c Component) bool { return c.Kind == "npm" && c.Name == must }) {
			t.Errorf("%s is imported by the interface but not in the notices", must)
		}
	}
	if n == 0 {
		t.Error("no npm packages listed")
	}
}

// Every licence is known and allowed by the policy (licenses.go), and its
// text is reproduced.
func TestEveryLicenceIsAllowed(t *testing.T) {
	ix := load(t)
	for _, c := range ix.Components {
		if len(c.Files) == 0 || len(c.Files) != len(c.Licenses) {
			t.Errorf("%s %s: licence files %v, licences %v", c.Name, c.Version, c.Files, c.Licenses)
		}
		for i, id := range c.Licenses {
			if id == NoticeFile || id == PatentsFile {
				continue
			}
			if p := Check(id, c.Kind); !p.Allowed {
				t.Errorf("%s %s (%s): %s", c.Name, c.Version, c.Files[i], p.Why)
			}
		}
		if !strings.Contains(Text, "\n"+c.Name+" "+c.Version+"\nLicence: "+c.License+"\n") {
			t.Errorf("%s %s: no section in THIRD_PARTY_NOTICES.txt", c.Name, c.Version)
		}
	}
}

// An MPL-2.0 module may ship only unmodified (licenses.go): no replace
// directive may point it elsewhere.
func TestNoReplacedMPLModule(t *testing.T) {
	gomod, err := os.ReadFile(filepath.Join(repoRoot(t), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	replaced := regexp.MustCompile(`(?m)^\s*(?:replace\s+)?(\S+)(?:\s+\S+)?\s+=>`).FindAllSubmatch(gomod, -1)
	ix := load(t)
	for _, m := range replaced {
		for _, c := range ix.Components {
			if c.Name == string(m[1]) && strings.Contains(c.License, MPL2) {
				t.Errorf("%s is MPL-2.0 and replaced in go.mod: a modified MPL file must be published; see the policy in licenses.go", c.Name)
			}
		}
	}
}

func TestCastdeskIsMIT(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	if got := Classify(string(b)); !slices.Equal(got, []string{MIT}) || !strings.Contains(string(b), "Castdesk authors") {
		t.Errorf("LICENSE: %v, want MIT with the copyright of the Castdesk authors", got)
	}
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Permission is hereby granted, free of charge, to any person obtaining a copy of this software", []string{MIT}},
		{"Redistribution and use in source and binary forms, with or without modification... Neither the name of Google", []string{BSD3}},
		{"Redistribution and use in source and binary forms, with or without\nmodification, are permitted", []string{BSD2}},
		{"Apache License\n Version 2.0, January 2004", []string{Apache2}},
		{"Permission to use, copy, modify, and/or distribute this software for any\npurpose with or without fee is hereby granted, provided that the above\ncopyright notice and this permission notice appear in all copies.", []string{ISC}},
		{"Permission to use, copy, modify, and/or distribute this software for any purpose with or without fee is hereby granted.\n\nTHE SOFTWARE IS PROVIDED", []string{ZeroBSD}},
		{"SPDX-License-Identifier: Unlicense OR MIT", []string{Unlicense, MIT}},
		{"GNU LESSER GENERAL PUBLIC LICENSE Version 3", []string{"LGPL"}},
		{"GNU GENERAL PUBLIC LICENSE Version 2", []string{"GPL"}},
		{"Mozilla Public License Version 2.0", []string{MPL2}},
		{"SIL OPEN FONT LICENSE Version 1.1", []string{OFL}},
		{"All rights reserved. Do not copy.", []string{Unknown}},
	} {
		if got := Classify(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("Classify(%.40q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestPolicy(t *testing.T) {
	for _, tc := range []struct {
		id, kind string
		ok       bool
	}{
		{MIT, "go", true}, {BSD2, "npm", true}, {BSD3, "go", true}, {Apache2, "go", true}, {ISC, "npm", true},
		{MPL2, "go", true}, {Unlicense, "go", true}, {ZeroBSD, "npm", true}, {CC0, "data", true},
		{OFL, "font", true}, {OFL, "npm", false},
		{"GPL", "go", false}, {"LGPL", "go", false}, {"AGPL", "npm", false}, {Unknown, "go", false}, {"", "go", false},
	} {
		if got := Check(tc.id, tc.kind).Allowed; got != tc.ok {
			t.Errorf("Check(%q, %q) = %v, want %v", tc.id, tc.kind, got, tc.ok)
		}
	}
	if got := Choose([]string{"GPL", MIT}, "go"); got != MIT {
		t.Errorf("a GPL-or-MIT dual licence ships as %q, want MIT", got)
	}
}
