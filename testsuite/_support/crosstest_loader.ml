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
(* The installed library .cmxs among them (CROSSTEST_HOST_LIBRARIES) are
   skipped when the program already links their units natively, as
   ocamlrun.crossload links unix and threads (for the toplevel): Dynlink
   refuses them as Module_already_loaded, as a native program that links
   the library would, and the runner's units serve the program and the
   plugins. *)
let () =
  let files var =
    match Sys.getenv_opt var with
    | Some "" -> []
    | Some files -> String.split_on_char ':' files
    | None -> failwith ("crosstest_loader: " ^ var ^ " is not set")
  in
  let libraries = files "CROSSTEST_HOST_LIBRARIES" in
  List.iter
    (fun file ->
      try Dynlink.loadfile file
      with
      | Dynlink.Error (Dynlink.Module_already_loaded _)
        when List.mem file libraries -> ()
      | Dynlink.Error (Dynlink.Library's_module_initializers_failed exn) ->
        Printexc.raise_with_backtrace exn (Printexc.get_raw_backtrace ()))
    (files "CROSSTEST_HOST_UNITS")
