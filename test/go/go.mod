module golens.test/programs

// Kept at the oldest Go release the fixtures cover, so every program builds with
// GOTOOLCHAIN=go1.21.x as well as with the machine's own Go.
go 1.21
