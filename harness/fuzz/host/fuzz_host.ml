(* The loader host of the fuzzer (harness/fuzz): loads the file named on its
   command line and says, on one line of stdout, what Dynlink did:
     loaded | refused: <Dynlink.error_message> | exception: <Printexc.to_string>
   then runs a full major GC and exits 0. Anything else (a signal, another
   exit status, no such line) is a crash of the loader. The GC makes memory
   that the load corrupted (the GC's own tables, the heap) crash every host
   alike, not only the one that happens to collect before it exits. Unsafe
   files are allowed, so that the loader itself is exercised, not its safety
   check. Built as a native program and as a bytecode one, with the patched
   compiler and with pristine 5.3.0. *)

let () =
  Dynlink.allow_unsafe_modules true;
  let verdict =
    match Dynlink.loadfile Sys.argv.(1) with
    | () -> "loaded"
    | exception Dynlink.Error e -> "refused: " ^ Dynlink.error_message e
    | exception e -> "exception: " ^ Printexc.to_string e
  in
  print_endline verdict;
  Gc.full_major ();
  exit 0
