(* The user's functions: plain OCaml, evaluated when the calculator starts *)
let square x = x *. x
let hypot a b = sqrt (square a +. square b)
let rec fact n = if n <= 1. then 1. else n *. fact (n -. 1.)
let sin_deg d = sin (deg d)   (* deg is given by the calculator *)

let summary results =
  Printf.sprintf "%d results, total %g"
    (List.length results) (List.fold_left ( +. ) 0. results)
