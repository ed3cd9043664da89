(* The generic host for OCaml's own test programs: each test program is
   compiled as a plugin unit, and loading it runs it. The unit comes from the
   environment, so the test sees the same Sys.argv as when run alone. The
   tests are trusted: those declaring primitives with [external] must load. *)
let () =
  Crosstest.allow_unsafe ();
  Crosstest.load (Sys.getenv "CROSSTEST_PLUGIN")
