(* The bytecode program of the byte+cmxs mode (linked with ocamlc -crossload,
   run by ocamlrun.crossload). Native code links only against native units,
   so the host's libraries (the crosstest support, the test's Api, OCaml's
   Testing) are .cmxs files here, as a user of native plugins would have
   them, and the host's main unit is a .cmo. This loads them in link order,
   as listed in CROSSTEST_HOST_UNITS (':'-separated): the main unit then
   runs as bytecode, using the native libraries, and loads the test's .cmxs
   plugins. See harness/crosstest/native-libraries.ts.

   The program must end as if the main unit were the program: Dynlink wraps
   an exception escaping a unit's initialisation in Dynlink.Error
   (Library's_module_initializers_failed exn), so it is unwrapped and
   re-raised with its backtrace, and the runtime prints "Fatal error:
   exception ..." and exits with status 2, as for a pure bytecode run. *)
let () =
  let files =
    match Sys.getenv_opt "CROSSTEST_HOST_UNITS" with
    | Some files -> String.split_on_char ':' files
    | None -> failwith "crosstest_loader: CROSSTEST_HOST_UNITS is not set"
  in
  List.iter
    (fun file ->
      try Dynlink.loadfile file
      with Dynlink.Error (Dynlink.Library's_module_initializers_failed exn) ->
        Printexc.raise_with_backtrace exn (Printexc.get_raw_backtrace ()))
    files
