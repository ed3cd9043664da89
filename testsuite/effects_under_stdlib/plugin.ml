(* The battery, run by the plugin with its own handlers: the same as main.ml's (a unit cannot be linked on both sides, so each side has its copy). *)
let ask n = Effect.perform (Api.Ask n)

(* Every [Ask n] performed by [comp] is answered with [10 * n]. *)
let answered comp =
  Effect.Deep.try_with comp ()
    { effc = (fun (type a) (e : a Effect.t) -> match e with
      | Api.Ask n -> Some (fun (k : (a, _) Effect.Deep.continuation) -> Effect.Deep.continue k (10 * n))
      | _ -> None) }

type _ Effect.t += Yield : int -> unit Effect.t

(* The values that [iter] yields, taken one at a time: the iteration is suspended between them. *)
let stepped iter =
  let open Effect.Shallow in
  let next = ref (Some (fiber (fun () -> iter (fun x -> Effect.perform (Yield x))))) in
  let take () = match !next with
    | None -> None
    | Some k ->
      continue_with k () { retc = (fun () -> next := None; None); exnc = raise;
        effc = (fun (type a) (e : a Effect.t) -> match e with
          | Yield x -> Some (fun (k : (a, _) continuation) -> next := Some k; Some x)
          | _ -> None) } in
  let rec all acc = Gc.minor (); match take () with None -> List.rev acc | Some x -> all (x :: acc) in
  all []

module IntMap = Map.Make (Int)
module IntSet = Set.Make (Int)
module IntTbl = Hashtbl.Make (struct type t = int let equal = Int.equal let hash = Hashtbl.hash end)

let ints l = String.concat "," (List.map string_of_int l)

let battery () =
  let tbl = Hashtbl.create 8 in
  List.iter (fun i -> Hashtbl.replace tbl i (i * i)) [1; 2; 3];
  let itbl = IntTbl.create 8 in
  List.iter (fun i -> IntTbl.replace itbl i i) [4; 5];
  let stack = Stack.create () and queue = Queue.create () in
  List.iter (fun i -> Stack.push i stack; Queue.push i queue) [1; 2; 3];
  let sum_of iter = let s = ref 0 in iter (fun x -> s := !s + ask x); !s in
  [ "Array.fold_left " ^ string_of_int (answered (fun () -> Array.fold_left (fun a x -> a + ask x) 0 [|1; 2; 3|]));
    "Array.map " ^ ints (Array.to_list (answered (fun () -> Array.map ask [|1; 2|])));
    "Array.init " ^ ints (Array.to_list (answered (fun () -> Array.init 3 ask)));
    "Array.sort " ^ ints (answered (fun () -> let a = [|3; 1; 2|] in
                                      Array.sort (fun x y -> compare (ask x) (ask y)) a; Array.to_list a));
    "ArrayLabels.iter " ^ string_of_int (answered (fun () -> sum_of (fun f -> ArrayLabels.iter ~f [|7; 8|])));
    "Hashtbl.fold " ^ string_of_int (answered (fun () -> Hashtbl.fold (fun k v a -> a + ask (k + v)) tbl 0));
    "Hashtbl.iter " ^ string_of_int (answered (fun () -> sum_of (fun f -> Hashtbl.iter (fun _ v -> f v) tbl)));
    "Hashtbl.Make.iter " ^ string_of_int (answered (fun () -> sum_of (fun f -> IntTbl.iter (fun k _ -> f k) itbl)));
    "Seq.fold_left " ^ string_of_int (answered (fun () -> Seq.fold_left (fun a x -> a + ask x) 0 (List.to_seq [1; 2; 3])));
    "Seq.map " ^ ints (answered (fun () -> List.of_seq (Seq.map ask (Seq.take 3 (Seq.ints 1)))));
    "String.fold_left " ^ string_of_int (answered (fun () -> String.fold_left (fun a c -> a + ask (Char.code c - 96)) 0 "abc"));
    "String.map " ^ answered (fun () -> String.map (fun c -> Char.chr (ask (Char.code c - 96) / 10 + 65)) "abc");
    "Bytes.iter " ^ string_of_int (answered (fun () -> sum_of (fun f -> Bytes.iter (fun c -> f (Char.code c)) (Bytes.of_string "AB"))));
    "Fun.protect " ^ string_of_int (answered (fun () ->
        let fin = ref 0 in
        let v = Fun.protect ~finally:(fun () -> fin := ask 1) (fun () -> ask 2) in v + !fin));
    "Option.map " ^ string_of_int (answered (fun () -> Option.value ~default:0 (Option.map ask (Some 4))));
    "Result.bind " ^ string_of_int (answered (fun () -> Result.get_ok (Result.bind (Ok 5) (fun x -> Ok (ask x)))));
    "Map.Make.fold " ^ string_of_int (answered (fun () ->
        IntMap.fold (fun k v a -> a + ask (k * v)) (IntMap.of_list [(1, 2); (3, 4)]) 0));
    "Set.Make.iter " ^ string_of_int (answered (fun () -> sum_of (fun f -> IntSet.iter f (IntSet.of_list [2; 9]))));
    "Stack.iter " ^ string_of_int (answered (fun () -> sum_of (fun f -> Stack.iter f stack)));
    "Queue.fold " ^ string_of_int (answered (fun () -> Queue.fold (fun a x -> a + ask x) 0 queue));
    "ListLabels.map " ^ ints (answered (fun () -> ListLabels.map ~f:ask [6; 7]));
    "stepped Array.iter " ^ ints (stepped (fun f -> Array.iter f [|1; 2; 3|]));
    "stepped Hashtbl.iter " ^ ints (List.sort compare (stepped (fun f -> Hashtbl.iter (fun k _ -> f k) tbl)));
    "stepped Seq.iter " ^ ints (stepped (fun f -> Seq.iter f (Seq.take 4 (Seq.ints 10)))) ]

let () =
  Api.plugin_battery := battery;
  Api.plugin_raise := (function
    | "Seq.once" -> let s = Seq.once (Seq.return 1) in ignore (List.of_seq s); ignore (List.of_seq s)
    | "Stack.pop" -> ignore (Stack.pop (Stack.create ()) : int)
    | "Queue.take" -> ignore (Queue.take (Queue.create ()) : int)
    | "Fun.protect" -> Fun.protect ~finally:(fun () -> raise Exit) ignore
    | _ -> ())
