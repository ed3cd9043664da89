let classify f =
  match f () with
  | () -> "no exception"
  | exception Not_found -> "host caught Not_found"
  | exception Exit -> "host caught Exit"
  | exception Api.Host_error (s, n) -> Printf.sprintf "host caught Host_error(%s, %d)" s n
  | exception Failure s -> "host caught Failure " ^ s
  | exception Invalid_argument s -> "host caught Invalid_argument " ^ s
  | exception Division_by_zero -> "host caught Division_by_zero"
  | exception e -> "host caught other: " ^ Printexc.to_string e

let () =
  Printexc.record_backtrace true;
  Crosstest.load "plugin";
  List.iter
    (fun what -> Printf.printf "%-9s -> %s\n" what (classify (fun () -> !Api.plugin_raiser what)))
    ["not_found"; "exit"; "failure"; "host"; "plugin"; "invalid"; "div"; "array"; "none"];
  List.iter
    (fun (name, f) -> Printf.printf "%-9s -> %s\n" name (!Api.plugin_catcher f))
    [ ("not_found", fun () -> raise Not_found);
      ("exit", fun () -> raise Exit);
      ("host", fun () -> raise (Api.Host_error ("from host", 1)));
      ("failure", fun () -> failwith "from host");
      ("stack", fun () -> raise Stack_overflow);
      ("nested", fun () -> !Api.plugin_raiser "exit") ];
  (match !Api.plugin_exn with
   | Some e -> Printf.printf "plugin exception printed by host: %s\n" (Printexc.to_string e)
   | None -> ());
  let finalised = ref false in
  (try
     Fun.protect ~finally:(fun () -> finalised := true)
       (fun () -> !Api.plugin_raiser "host")
   with Api.Host_error _ -> ());
  Printf.printf "Fun.protect finaliser ran: %b\n" !finalised;
  let depth = ref 0 in
  let rec nest n = if n = 0 then !Api.plugin_raiser "not_found" else begin
      incr depth; try nest (n - 1) with Exit -> () end in
  (try nest 1000 with Not_found -> Printf.printf "Not_found through %d handlers\n" !depth)
