package io.jstack.runtime.build;

/**
 * A here-document attached to RUN, COPY or ADD ({@code <<EOF}, {@code <<-EOF}, {@code <<"EOF"}).
 *
 * @param name the delimiter word without quotes, e.g. {@code EOF}
 * @param content the lines up to the delimiter, each with its line ending, as written
 * @param expand false when the delimiter was quoted: the frontend does not substitute the content
 * @param chomp true for {@code <<-}: leading tabs are removed from every line
 * @param fileDescriptor the number written before {@code <<}, or 0
 */
public record Heredoc(
    String name, String content, boolean expand, boolean chomp, int fileDescriptor) {

  /** The content with leading tabs removed when {@code chomp} is set. */
  public String text() {
    return chomp ? content.replaceAll("(?md)^\t+", "") : content;
  }
}
