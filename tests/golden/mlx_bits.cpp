// Prints mlx::core::random::bits(shape, width, key) as raw little-endian bytes.
//
//   usage: mlx_bits KEY0 KEY1 WIDTH [DIM ...]
//
// No DIMs means a scalar shape. MLX does not expose random.bits in Python, so
// tests/golden/generate.py compiles this against the wheel's libmlx and runs it.
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include "mlx/array.h"
#include "mlx/random.h"

namespace mx = mlx::core;

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: " << argv[0] << " KEY0 KEY1 WIDTH [DIM ...]\n";
    return 2;
  }
  try {
    auto key0 = static_cast<uint32_t>(std::stoul(argv[1], nullptr, 0));
    auto key1 = static_cast<uint32_t>(std::stoul(argv[2], nullptr, 0));
    int width = std::stoi(argv[3]);
    mx::Shape shape;
    for (int i = 4; i < argc; ++i) {
      shape.push_back(std::stoi(argv[i]));
    }

    mx::array key({key0, key1});
    mx::array out = mx::random::bits(shape, width, key);
    out.eval();
    // Dumping the buffer is only valid for a dense row-major result.
    if (!out.flags().row_contiguous || out.nbytes() != out.size() * width) {
      std::cerr << "unexpected non-contiguous output\n";
      return 1;
    }
    std::cout.write(out.data<char>(), static_cast<std::streamsize>(out.nbytes()));
    std::cout.flush();
    return std::cout ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
