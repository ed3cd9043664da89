/* C calling an OCaml closure n times with caml_callback: see c_callback.ml. */
#define CAML_NAME_SPACE
#include <caml/mlvalues.h>
#include <caml/memory.h>
#include <caml/callback.h>

value bench_c_loop1(value f, value n)
{
  CAMLparam1(f);
  intnat s = 0;
  for (intnat i = 1; i <= Long_val(n); i++)
    s += Long_val(caml_callback(f, Val_long(i)));
  CAMLreturn(Val_long(s));
}
