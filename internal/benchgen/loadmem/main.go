// Command loadmem measures the memory a package load takes per byte of
// input. It is a benchmark helper, not part of dtsx.
//
//	loadmem gen [-dataflows N] [-diagnostics=false] -size MB FILE
//	                                 write a generated package (benchgen) of about MB megabytes
//	loadmem load [-validate] [-memprofile OUT] FILE
//	                                 load FILE as `dtsx validate` does and report memory
//
// load prints, as "name value" lines: the input size, the peak heap (the
// largest heap-object bytes sampled every millisecond while loading), the
// live heap once loaded (after a GC, the package still held), the peak RSS
// (VmHWM) of the process, and each divided by the input size. With
// -validate it also builds and validates the package, as the command does.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/benchgen"
	dtsxruntime "github.com/dtsx-run/dtsx/runtime"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "load":
		err = load(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadmem:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: loadmem gen -size MB FILE | loadmem load [-validate] FILE")
	os.Exit(2)
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	size := fs.Int64("size", 200, "megabytes")
	diag := fs.Bool("diagnostics", true, "add the elements validation reports")
	flows := fs.Int("dataflows", 10, "Data Flow tasks added to each container")
	fs.Parse(args)
	if fs.NArg() != 1 {
		usage()
	}
	f, err := os.Create(fs.Arg(0))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	st, err := benchgen.Write(w, benchgen.Options{Size: *size << 20, Diagnostics: *diag, DataFlows: *flows})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Printf("generated %s: %d bytes, %d executables\n", fs.Arg(0), st.Bytes, st.Executables)
	return nil
}

func load(args []string) error {
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	validate := fs.Bool("validate", false, "build and validate the package too")
	memprofile := fs.String("memprofile", "", "write a heap profile of what the loaded package holds to this file")
	fs.Parse(args)
	if fs.NArg() != 1 {
		usage()
	}
	path := fs.Arg(0)
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go sampleHeap(&peak, stop, done)

	pkgs, project, err := dtsxruntime.Open(path, "", dtsx.Options{})
	if err != nil {
		return err
	}
	ndiag := 0
	if *validate {
		for _, p := range pkgs {
			ndiag += len(dtsxruntime.Build(p, dtsxruntime.Options{Project: project}).Validate(context.Background()))
		}
	}
	close(stop)
	<-done
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	live := ms.HeapAlloc
	if *memprofile != "" {
		f, err := os.Create(*memprofile)
		if err != nil {
			return err
		}
		err = pprof.Lookup("heap").WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	runtime.KeepAlive(pkgs)

	size := float64(fi.Size())
	mb := func(n uint64) string { return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) }
	hwm := vmHWM()
	fmt.Printf("input_bytes %d (%s MiB)\n", fi.Size(), mb(uint64(fi.Size())))
	if *validate {
		fmt.Printf("diagnostics %d\n", ndiag)
	}
	fmt.Printf("peak_heap %s MiB\nlive_heap %s MiB\npeak_rss %s MiB\n", mb(peak.Load()), mb(live), mb(hwm))
	fmt.Printf("ratio peak_heap_per_input %.2f\nratio live_heap_per_input %.2f\n", float64(peak.Load())/size, float64(live)/size)
	if hwm > 0 {
		fmt.Printf("ratio peak_rss_per_input %.2f\n", float64(hwm)/size)
	}
	return nil
}

// sampleHeap records the largest heap-object bytes seen until stop closes.
// runtime/metrics reads without stopping the world.
func sampleHeap(peak *atomic.Uint64, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for {
		metrics.Read(s)
		if v := s[0].Value.Uint64(); v > peak.Load() {
			peak.Store(v)
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

// vmHWM returns the peak resident set size of this process, or 0 where
// /proc does not say it.
func vmHWM() uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) == 2 && f[1] == "kB" {
				n, _ := strconv.ParseUint(f[0], 10, 64)
				return n << 10
			}
		}
	}
	return 0
}
