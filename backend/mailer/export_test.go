package mailer

// ClassifyDialForTest exposes the dial classification: the tests never
// send a DNS query off this machine.
var ClassifyDialForTest = classifyDial
