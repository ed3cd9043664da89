(* Allocation and collection of many short-lived trees. *)
type tree = Leaf | Node of tree * tree

let rec make d = if d = 0 then Node (Leaf, Leaf) else Node (make (d - 1), make (d - 1))
let rec check = function Leaf -> 0 | Node (l, r) -> 1 + check l + check r

let run n =
  let total = ref 0 in
  let d = 4 in
  while !total < n * 1000 do total := !total + check (make (d + (!total mod 12))) done;
  !total

let () = Bench_api.register "binary_trees" run
