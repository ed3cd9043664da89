(* A seed of the fuzzer (harness/fuzz): a unit with a function, a closure, an
   exception, references to Stdlib units and a primitive of its own (which
   makes it "unsafe": the hosts allow it). Built as a .cmo (with -g, so it has
   debug info) and as a .cmxs. It prints nothing: the host says what happened. *)

exception Seed_error of string

external seeded_hash_param : int -> int -> int -> 'a -> int = "caml_hash"

let counter = ref 0

let make_adder n = fun x -> n + x + !counter

let check x = if x < 0 then raise (Seed_error "negative") else x

let total = List.fold_left (fun acc x -> acc + check x) 0 [1; 2; 3]

let () =
  counter := total;
  let add = make_adder 2 in
  (try ignore (check (-1)) with Seed_error _ -> incr counter);
  let h = seeded_hash_param 10 100 0 (add 1, "seed") in
  let table = Hashtbl.create 8 in
  Hashtbl.replace table "seed" (Printf.sprintf "%d/%d" h !counter);
  ignore (Sys.opaque_identity (Hashtbl.find table "seed"))
