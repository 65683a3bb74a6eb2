/**
 * The values of a union of strings (an enum of the API contract) as an array for the UI, such as the options of a
 * select, checked at compile time to be exactly the union: a value the union lacks is an error, and so is one it
 * has that the array leaves out (the error names it as `missing`). The array keeps its literal types and order.
 *
 * `enumValues<Role>()(['ADMIN', 'OPERATOR', 'VIEWER'])`
 */
export function enumValues<T extends string>() {
  return <const A extends readonly T[]>(
    values: A &
      ([Exclude<T, A[number]>] extends [never] ? unknown : { missing: Exclude<T, A[number]> }),
  ): A => values;
}
