module github.com/dtsx-run/dtsx

go 1.26.8

require (
	github.com/beevik/etree v1.8.1 // indirect
	go.uber.org/multierr v1.10.0 // indirect
	go.uber.org/zap v1.28.0 // indirect
)
