(* The plugin's own functor: sets kept in decreasing order. *)
module RevSet (O : Api.ORDERED) = Api.MakeSet (struct
  type t = O.t
  let compare a b = O.compare b a
  let show x = "-" ^ O.show x
end)

(* Applicative: Api.MakeSet (Api.Int_ord).t is Api.IntSet.t. *)
module S = Api.MakeSet (Api.Int_ord)
module C1 = Api.Fresh ()
module C2 = Api.Fresh ()
module R = Api.Register (struct let name = "plugin:square" let run x = x * x end)

let () =
  Api.plugin_intset := List.fold_left (fun s x -> S.add x s) S.empty [5; 1; 3; 1];
  Printf.printf "plugin: host set %s seen with S.show %s\n"
    (Api.IntSet.show (Api.IntSet.add 2 Api.IntSet.empty)) (S.show (Api.IntSet.add 9 !Api.plugin_intset));
  Api.plugin_maker := Some (module RevSet : Api.SET_MAKER);
  ignore (C1.next ()); ignore (C1.next ());
  Api.plugin_counters := [C1.next; C2.next];
  Api.plugin_twice := R.run_twice;
  Api.plugin_use_maker := (fun (module M : Api.SET_MAKER) ->
    let module B = M (struct type t = bool let compare = compare let show = string_of_bool end) in
    B.show (B.add true (B.add false (B.add true B.empty))))
