(* The generic host for OCaml's own test programs: each test program is
   compiled as plugin units (the modules its TEST header compiles with it,
   then the program itself), and loading them in order runs it. The units
   come from the environment (CROSSTEST_PLUGIN, space-separated), so the test
   sees the same Sys.argv as when run alone. The tests are trusted: those
   declaring primitives with [external] must load. *)
let () =
  Crosstest.allow_unsafe ();
  String.split_on_char ' ' (Sys.getenv "CROSSTEST_PLUGIN")
  |> List.filter (fun unit -> unit <> "")
  |> List.iter Crosstest.load
