(* Everything kept alive across the collections is reachable from here only. *)
let keep : int ref list ref = ref []

let slots w = String.concat " " (List.init (Weak.length w) (fun i ->
  match Weak.get w i with Some r -> string_of_int !r | None -> "-"))

(* Values 1..6 of the host, with the plugin's closures as finalisers; 5 and 6 are kept. *)
let host_values () =
  for i = 1 to 6 do
    let r = ref i in
    if i mod 2 = 1 then Gc.finalise !Api.plugin_finaliser r else Gc.finalise_last (!Api.plugin_last i) r;
    if i >= 5 then keep := r :: !keep
  done

let host_weak () =
  let w = Weak.create 6 in
  for i = 0 to 5 do
    let r = ref (i + 1) in
    Weak.set w i (Some r);
    if i mod 2 = 0 then keep := r :: !keep
  done;
  w

let host_fill tbl =
  for i = 6 to 8 do
    let k = ref i in
    Api.Tbl.add tbl k (Printf.sprintf "host data %d" i);
    if i = 7 then keep := k :: !keep
  done

(* A plugin weak array; its kept values go to [keep], not to a local of the caller
   (a bytecode frame keeps its dead locals alive). *)
let plugin_weak () =
  let w, kept = !Api.plugin_weak () in
  keep := kept;
  w

let collect () = Gc.full_major ()

let () =
  Crosstest.load "plugin";
  host_values ();
  collect ();
  Api.report "host values, plugin finalisers";
  keep := [];
  collect ();
  Api.report "same, once released";
  keep := !Api.plugin_alloc (fun r -> Api.saw "h" !r) (fun n () -> Api.saw "l" n);
  collect ();
  Api.report "plugin values, host finalisers";
  keep := [];
  collect ();
  Api.report "same, once released";
  let w = plugin_weak () in
  collect ();
  Printf.printf "plugin weak array, checked by host: %s\n" (slots w);
  keep := [];
  Printf.printf "same, once released, checked by plugin: %s\n" (!Api.plugin_check_weak w);
  let w = host_weak () in
  Printf.printf "host weak array, checked by plugin: %s\n" (!Api.plugin_check_weak w);
  let tbl = Api.Tbl.create 8 in
  keep := !Api.plugin_fill tbl;
  collect ();
  Api.Tbl.clean tbl;
  Printf.printf "ephemerons, plugin keys: %d bindings; %s\n" (Api.Tbl.length tbl)
    (String.concat ", " (List.map (fun k -> Option.value ~default:"-" (Api.Tbl.find_opt tbl k)) !keep));
  host_fill tbl;
  Printf.printf "host keys added, checked by plugin: %s\n" (!Api.plugin_check_tbl tbl !keep)
