package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"castdesk/backend/panel"
)

// TestFillMediaLeavesTheCheckpointForLater: a fill's commit does not copy
// the WAL into the database file (CheckpointMedia does, once), and the
// writer checkpoints as usual right after, even when the fill fails.
func TestFillMediaLeavesTheCheckpointForLater(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "castdesk.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	account := func(name string) int64 {
		return insertTestAccount(t, s, name)
	}
	autoCheckpoint := func(step string) {
		t.Helper()
		var n int
		if err := s.writer.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&n); err != nil || n != walAutoCheckpoint {
			t.Fatalf("%s: wal_autocheckpoint %d (%v), want %d", step, n, err, walAutoCheckpoint)
		}
	}
	dbSize := func() int64 {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return info.Size()
	}
	a, b := account("filla"), account("fillb")
	s.CheckpointMedia(ctx)
	before := dbSize()
	var files []panel.MediaFile
	for i := range 40000 { // well over the 1,000 pages that make a commit checkpoint
		files = append(files, panel.MediaFile{Path: fmt.Sprintf("album %d/track %05d.mp3", i%40, i), Size: int64(i), Kind: panel.KindAudio, ModifiedAt: time.UnixMilli(0)})
	}
	if _, _, err := s.FillMedia(ctx, []panel.MediaChange{{AccountID: a, Upsert: files}}); err != nil {
		t.Fatal(err)
	}
	autoCheckpoint("after a fill")
	if after := dbSize(); after != before {
		t.Fatalf("the fill's commit checkpointed: database file %d -> %d bytes", before, after)
	}
	if err := s.CheckpointMedia(ctx); err != nil {
		t.Fatal(err)
	}
	if after := dbSize(); after <= before {
		t.Fatalf("CheckpointMedia left the database file at %d bytes (was %d)", after, before)
	}
	// A path twice: the INSERT fails and the fill rolls back.
	if _, _, err := s.FillMedia(ctx, []panel.MediaChange{{AccountID: b, Upsert: []panel.MediaFile{files[0], files[0]}}}); err == nil {
		t.Fatal("a fill with a path twice succeeded")
	}
	autoCheckpoint("after a failed fill")
	if _, indexed, _ := s.MediaTotals(ctx, b); indexed {
		t.Fatal("a failed fill left totals")
	}
}

// TestFillMediaStopsWhenCancelled: the statements of a fill run under a
// context that is never cancelled (media_fill.go says why), so the
// caller's is checked between accounts; a cancelled fill writes nothing.
func TestFillMediaStopsWhenCancelled(t *testing.T) {
	ctx := context.Background()
	s := openTempStore(t)
	var id int64
	err := s.Write(ctx, func(tx panel.Tx) error {
		now := time.Now()
		var err error
		id, err = tx.InsertAccount(ctx, &panel.Account{Username: "cancelled", Name: "F", Email: "c@example.org", Level: panel.LevelCustomer,
			Status: panel.StatusEnabled, Language: "en", PasswordHash: "x", CreatedAt: now, UpdatedAt: now})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	files := []panel.MediaFile{{Path: "a.mp3", Size: 1, Kind: panel.KindAudio, ModifiedAt: time.UnixMilli(0)}}
	if _, _, err := s.FillMedia(cctx, []panel.MediaChange{{AccountID: id, Upsert: files}}); err == nil {
		t.Fatal("a cancelled fill succeeded")
	}
	if _, indexed, _ := s.MediaTotals(ctx, id); indexed {
		t.Fatal("a cancelled fill wrote totals")
	}
	if got, _ := s.MediaFilesUnder(ctx, id, ""); len(got) != 0 {
		t.Fatalf("a cancelled fill wrote %d files", len(got))
	}
	if _, _, err := s.FillMedia(ctx, []panel.MediaChange{{AccountID: id, Upsert: files}}); err != nil {
		t.Fatal(err)
	}
	if tot, _, _ := s.MediaTotals(ctx, id); tot.Files != 1 {
		t.Fatalf("totals %+v after the fill", tot)
	}
}
