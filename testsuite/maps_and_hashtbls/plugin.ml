(* A Map made by the plugin, ordered by a host closure. *)
module ByLen = Map.Make (struct type t = string let compare = Api.host_compare_len end)

let () =
  (* Keys compared case-insensitively, in reverse. *)
  Api.plugin_compare := (fun a b -> compare (String.lowercase_ascii b) (String.lowercase_ascii a));
  Api.plugin_equal := (fun a b -> String.lowercase_ascii a = String.lowercase_ascii b);
  Api.plugin_hash := (fun s -> Hashtbl.hash (String.lowercase_ascii s));
  Api.ops := Api.SMap.add "sub" ( - ) (Api.SMap.add "max" max !Api.ops);
  Api.show_ops "plugin";
  List.iteri (fun i name -> Hashtbl.replace Api.table name (fun x -> x * 10 + i)) ["one"; "two"; "three"; "four"];
  Hashtbl.replace Api.table "two" (fun x -> -x);
  Api.plugin_map_module := Some (module ByLen);
  Api.plugin_fill := (fun keys ->
    List.fold_left (fun m k -> Api.PMap.update k (function None -> Some 1 | Some n -> Some (n + 1)) m)
      Api.PMap.empty keys);
  Api.plugin_merge := (fun m ->
    Api.SMap.union (fun _ host_f plugin_f -> Some (fun a b -> host_f a b * 1000 + plugin_f a b))
      m !Api.ops)
