(* Loads plugin.cmo (bytecode) with Dynlink, which starts the bytecode
   guest of the native runtime first, up to three times until a load
   succeeds; a start may fail where faults/*.gdb makes an allocation fail.
   Each attempt prints one line; the plugin prints its own. *)

let plugin =
  Filename.concat (Filename.dirname Sys.executable_name) "plugin.cmo"

let rec load n =
  if n <= 3 then
    match Dynlink.loadfile plugin with
    | () -> Printf.printf "load %d: ok\n%!" n
    | exception Dynlink.Error e ->
        Printf.printf "load %d: Dynlink.Error %s\n%!" n
          (Dynlink.error_message e);
        load (n + 1)
    | exception e ->
        Printf.printf "load %d: %s\n%!" n (Printexc.to_string e);
        load (n + 1)

let () = load 1
