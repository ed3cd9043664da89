(* Pancake flipping over all permutations of [0 .. n-1], arrays and integers. *)
let run n =
  let perm = Array.init n (fun i -> i) and count = Array.make n 0 in
  let p = Array.make n 0 in
  let max_flips = ref 0 and checksum = ref 0 and sign = ref 1 in
  let r = ref n and continue = ref true in
  while !continue do
    while !r > 1 do count.(!r - 1) <- !r; decr r done;
    Array.blit perm 0 p 0 n;
    let flips = ref 0 in
    while p.(0) <> 0 do
      let k = p.(0) in
      let i = ref 0 and j = ref k in
      while !i < !j do
        let t = p.(!i) in p.(!i) <- p.(!j); p.(!j) <- t; incr i; decr j
      done;
      incr flips
    done;
    if !flips > !max_flips then max_flips := !flips;
    checksum := !checksum + !sign * !flips;
    sign := - !sign;
    let rec next () =
      if !r = n then continue := false
      else begin
        let p0 = perm.(0) in
        for i = 0 to !r - 1 do perm.(i) <- perm.(i + 1) done;
        perm.(!r) <- p0;
        count.(!r) <- count.(!r) - 1;
        if count.(!r) > 0 then () else (incr r; next ())
      end
    in
    next ()
  done;
  !checksum * 1000 + !max_flips

let () = Bench_api.register "fannkuch" run
