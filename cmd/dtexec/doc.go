// Command dtexec runs SSIS packages with the command line of Microsoft's
// dtexec utility: /F[ile], /Set, /Conn[ection], /Conf[igFile], /Va[lidate],
// /Rep[orting], /De[crypt], /Proj[ect] with /Pack[age], ... and its exit
// codes 0, 1, 3, 4, 5 and 6.
//
// The command-line parser is its own: no flag library reads dtexec's
// syntax: options start with / or -, are case-insensitive and may be
// abbreviated as documented (/F, /Fi, /Fil, /File); values follow after a
// space; values made of several parts separate them with ';', and quote a
// part with double quotes, a doubled quote standing for one. The last of a
// repeated option wins, except /Set, /Conn, /Par, /ConfigFile and
// /ConsoleLog, which accumulate in order.
//
// Every documented option is known. Those that need Windows, SQL Server or
// the SSIS catalog, and those this runtime does not implement (log
// providers, checkpoints, /Sum, /Dump), are refused with exit code 6 and
// what to use instead, rather than ignored: /? lists them apart.
package main
