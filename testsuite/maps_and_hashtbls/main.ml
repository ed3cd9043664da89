let () =
  Api.ops := Api.SMap.add "add" ( + ) (Api.SMap.add "sub" (fun a b -> b - a) !Api.ops);
  Crosstest.load "plugin";
  Api.show_ops "host";
  Hashtbl.replace Api.table "five" (fun x -> x + 5);
  Hashtbl.iter (fun k f -> Printf.printf "table (iteration order): %s 2 = %d\n" k (f 2)) Api.table;
  Printf.printf "table: %d bindings, fold sum %d\n" (Hashtbl.length Api.table)
    (Hashtbl.fold (fun _ f acc -> acc + f 1) Api.table 0);
  (* A host Map keyed by the plugin's order. *)
  let m = !Api.plugin_fill ["b"; "A"; "c"; "a"; "B"; "d"; "a"] in
  Printf.printf "PMap in plugin order: %s\n"
    (String.concat " " (List.map (fun (k, n) -> Printf.sprintf "%s=%d" k n) (Api.PMap.bindings m)));
  Printf.printf "PMap: find \"C\" = %d, mem \"z\" = %b\n" (Api.PMap.find "C" m) (Api.PMap.mem "z" m);
  (* A host Hashtbl.Make table with the plugin's equality and hash. *)
  let t = Api.PTbl.create 4 in
  List.iter (fun k -> Api.PTbl.replace t k (String.length k)) ["Key"; "KEY"; "other"; "key"; "Other"];
  Printf.printf "PTbl: %d bindings, find \"kEy\" = %d\n" (Api.PTbl.length t) (Api.PTbl.find t "kEy");
  Api.PTbl.iter (fun k v -> Printf.printf "PTbl (iteration order): %s -> %d\n" k v) t;
  (* The plugin's Map module used by the host. *)
  let module M = (val Option.get !Api.plugin_map_module) in
  let fns = List.fold_left (fun m (k, f) -> M.add k f m) M.empty
      [ ("ccc", String.uppercase_ascii); ("a", String.capitalize_ascii); ("bb", fun s -> s ^ s) ] in
  Gc.full_major ();
  M.iter (fun k f -> Printf.printf "plugin Map by length: %s -> %s\n" k (f "xy")) fns;
  let mine = Api.SMap.(empty |> add "add" ( * ) |> add "mod" ( mod )) in
  let merged = !Api.plugin_merge mine in
  Api.SMap.iter (fun k f -> Printf.printf "merged: %s 7 3 = %d\n" k (f 7 3)) merged;
  let m2 = Api.SMap.filter (fun k _ -> k <> "max") (Api.SMap.map (fun f a b -> f b a) merged) in
  Printf.printf "flipped without max: %s\n"
    (String.concat " " (List.map (fun (k, f) -> Printf.sprintf "%s=%d" k (f 7 3)) (Api.SMap.bindings m2)))
