(* Definitions with a mistake: the calculator says so and goes on with
   the definitions before it *)
let square x = x *. x
let cube x = x *. x * x
let half x = x /. 2.
