while x do
