package httpapi

import "time"

// SetUploadPace sets the floor rate and the margin of upload read deadlines
// until the returned function restores them.
func SetUploadPace(rate int64, margin time.Duration) (restore func()) {
	oldRate, oldMargin := uploadFloorRate, uploadMargin
	uploadFloorRate, uploadMargin = rate, margin
	return func() { uploadFloorRate, uploadMargin = oldRate, oldMargin }
}
