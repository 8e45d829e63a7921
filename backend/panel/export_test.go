package panel

// WakePending tells whether a wake-up of the outbox worker is waiting to be
// taken, without taking it.
func WakePending(p *Panel) bool { return len(p.Mail.outbox.kick) > 0 }

// TakeWake takes a waiting wake-up, if any, as a worker would.
func TakeWake(p *Panel) bool {
	select {
	case <-p.Mail.outbox.kick:
		return true
	default:
		return false
	}
}
