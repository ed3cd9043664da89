module Str_ord = struct type t = string let compare = compare let show s = s end
module C = Api.Fresh ()
module R = Api.Register (struct let name = "host:succ" let run = succ end)

let () =
  Crosstest.load "plugin";
  Printf.printf "host: plugin-built IntSet %s\n" (Api.IntSet.show (Api.IntSet.add 4 !Api.plugin_intset));
  let counts = List.map (fun next -> next ()) !Api.plugin_counters in
  Printf.printf "host: plugin counters %s, host counter %d\n"
    (String.concat "," (List.map string_of_int counts)) (C.next ());
  List.iter (fun (name, f) -> Printf.printf "host: registered %s 5 = %d\n" name (f 5))
    (List.rev !Api.registered);
  Printf.printf "host: plugin run_twice 3 = %d, host run_twice 3 = %d\n" (!Api.plugin_twice 3) (R.run_twice 3);
  let module M = (val Option.get !Api.plugin_maker) in
  let module SS = M (Str_ord) in
  let module IS = M (Api.Int_ord) in
  Printf.printf "host: plugin functor on host module %s, on api module %s\n"
    (SS.show (List.fold_right SS.add ["b"; "c"; "a"] SS.empty))
    (IS.show (List.fold_right IS.add [2; 7; 2] IS.empty));
  Printf.printf "host: plugin applies host functor %s\n"
    (!Api.plugin_use_maker (module Api.MakeSet : Api.SET_MAKER));
  Printf.printf "host: plugin applies its own functor %s\n"
    (!Api.plugin_use_maker (Option.get !Api.plugin_maker));
  Gc.full_major ();
  Printf.printf "host: elements after GC %s\n"
    (String.concat " " (List.map string_of_int (Api.IntSet.elements !Api.plugin_intset)))
