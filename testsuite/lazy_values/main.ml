let outcome l =
  match Lazy.force l with
  | v -> Printf.sprintf "%d" v
  | exception Api.Lazy_boom n -> Printf.sprintf "exception Lazy_boom %d" n
  | exception Failure s -> Printf.sprintf "exception Failure %s" s

let () =
  Crosstest.load "plugin";
  List.iter (fun (name, l) ->
      Printf.printf "%s: is_val %b\n%!" name (Lazy.is_val l);
      let first = outcome l in
      let second = outcome l in
      Printf.printf "%s: %s, again: %s\n%!" name first second)
    !Api.named;
  print_endline (!Api.plugin_force Api.host_lazy);
  print_endline (!Api.plugin_force Api.host_failing);
  print_endline (!Api.plugin_force Api.host_failing);
  print_endline (!Api.plugin_force (List.assoc "from_fun" !Api.named));
  print_endline (!Api.plugin_force (lazy (print_endline "  (forcing a host lazy made now)"; 5)));
  let s = !Api.plugin_stream in
  Gc.full_major ();
  Printf.printf "host: plugin stream %s\n%!" (Api.show (Api.take 8 s));
  Printf.printf "host: again, memoised %s\n%!" (Api.show (Api.take 8 s));
  (match Lazy.force (Option.get !Api.self_ref) with
   | _ -> print_endline "self-referential lazy: no exception?"
   | exception Lazy.Undefined -> print_endline "self-referential lazy: Lazy.Undefined");
  let g = Option.get !Api.gc_lazy in
  let held = [ g; Lazy.from_val "unused" ] in
  Gc.full_major ();
  let first = Lazy.force g in
  let is_val = Lazy.is_val (List.hd held) in
  Printf.printf "forced during GC: %s, is_val %b, again %s\n" first is_val (Lazy.force g)
