let slots w = String.concat " " (List.init (Weak.length w) (fun i ->
  match Weak.get w i with Some r -> string_of_int !r | None -> "-"))

let () =
  Api.plugin_finaliser := (fun r -> Api.saw "p" !r);
  Api.plugin_last := (fun n () -> Api.saw "q" n);
  (* Values 1..6 of the plugin, with the host's closures as finalisers; 5 and 6 are returned. *)
  Api.plugin_alloc := (fun fin last ->
    List.filter_map (fun i ->
      let r = ref i in
      if i mod 2 = 1 then Gc.finalise fin r else Gc.finalise_last (last i) r;
      if i >= 5 then Some r else None) [1; 2; 3; 4; 5; 6]);
  Api.plugin_weak := (fun () ->
    let w = Weak.create 6 in
    let kept = List.filter_map (fun i ->
      let r = ref (i + 1) in
      Weak.set w i (Some r);
      if i mod 2 = 1 then Some r else None) [0; 1; 2; 3; 4; 5] in
    (w, kept));
  Api.plugin_check_weak := (fun w -> Gc.full_major (); slots w);
  Api.plugin_fill := (fun tbl ->
    List.filter_map (fun i ->
      let k = ref i in
      Api.Tbl.add tbl k (Printf.sprintf "plugin data %d" i);
      if i <= 2 then Some k else None) [1; 2; 3; 4; 5]);
  Api.plugin_check_tbl := (fun tbl keys ->
    Gc.full_major ();
    Api.Tbl.clean tbl;
    Printf.sprintf "%d bindings; %s" (Api.Tbl.length tbl)
      (String.concat ", " (List.map (fun k -> Option.value ~default:"-" (Api.Tbl.find_opt tbl k)) keys)))
